using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.Tests.Geo;

namespace GslbDns.IntegrationTests.Steering;

/// <summary>
/// Steering on MaxMind's own published test database (when it is next to the repository), with the
/// continent mapping of the benchmark scenario: Asia → ap, Europe → eu, anything else → us.
/// </summary>
public sealed class MaxMindCompatibilityTests
{
    private const string Policy = """
        services:
          www:
            regions:
              ap: { target: ap.www }
              eu: { target: eu.www }
              us: { target: us.www }
            topology:
              - match: { continent: [AS] }
                prefer: [ap]
              - match: { continent: [EU] }
                prefer: [eu]
              - default: [us]
        """;

    [MaxMindDataFact]
    public async Task MaxMindCityTestDatabase_SteersLikeItsSourceSays()
    {
        var files = new Dictionary<string, string> { ["example.com.zone"] = SteeringSetup.Zone, ["example.com.gslb.yaml"] = Policy };
        await using var server = await TestServer.StartAsync(files,
            new Dictionary<string, string?> { ["Server:GeoIp:0"] = GeoTestData.MaxMind("GeoIP2-City-Test.mmdb") });

        var cases = new (string Subnet, string Region)[]
        {
            ("81.2.69.160/32", "eu"),
            ("81.2.69.0/24", "us"),        // only parts of this /24 are in Europe in the test data
            ("2.2.3.0/24", "eu"),
            ("89.160.20.128/25", "eu"),
            ("216.160.83.56/32", "us"),
            ("175.16.199.0/24", "ap"),
            ("2001:220::1/128", "ap"),
            ("2a02:d180::/29", "eu"),
            ("202.196.224.0/20", "ap"),
            ("2002:5102:4590::/44", "eu"),   // 6to4 of 81.2.69.144/28
            ("2001:0:5102:45a0::/59", "eu"), // Teredo as the database aliases it: 81.2.69.160/27
        };
        foreach (var (subnet, region) in cases)
        {
            var (reply, _) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, subnet);
            Assert.True(region == Ecs.Region(reply), $"{subnet}: expected {region}, got {Ecs.Region(reply)}");
        }
    }

    [MaxMindDataFact]
    public async Task SixToFourSubnet_LocatedAsItsIPv4Network_WithScopeInIPv6Bits()
    {
        var files = new Dictionary<string, string> { ["example.com.zone"] = SteeringSetup.Zone, ["example.com.gslb.yaml"] = Policy };
        await using var server = await TestServer.StartAsync(files,
            new Dictionary<string, string?> { ["Server:GeoIp:0"] = GeoTestData.MaxMind("GeoIP2-City-Test.mmdb") });

        var (v4, v4Scope) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, "81.2.69.144/28");
        var (v6, v6Scope) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, "2002:5102:4590::/44");

        Assert.Equal("eu", Ecs.Region(v4));
        Assert.Equal(28, v4Scope);
        Assert.Equal("eu", Ecs.Region(v6));
        Assert.Equal(44, v6Scope);
    }
}
