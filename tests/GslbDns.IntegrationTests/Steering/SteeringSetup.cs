using GslbDns.Commands;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.Steering.Geo;

namespace GslbDns.IntegrationTests.Steering;

/// <summary>A zone, its steering policy and a GeoIP database built by GslbDns itself.</summary>
public static class SteeringSetup
{
    public const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        @       TXT   "v=spf1 -all"
        ns1     A     192.0.2.53
        ap.www  60    A     203.0.113.10
        eu.www  60    A     198.51.100.10
        eu.www  60    A     198.51.100.11
        us.www  60    A     192.0.2.10
        us.www  60    AAAA  2001:db8::10
        """;

    public const string Policy = """
        defaults:
          ttl: 20
        services:
          www:
            regions:
              ap: { target: ap.www, location: [35.68, 139.69] }
              eu: { target: eu.www, location: [50.11, 8.68] }
              us: { target: us.www, location: [39.04, -77.49] }
            topology:
              - match: { cidr: [127.0.0.2/32] }
                prefer: [eu]
              - match: { asn: [4766] }
                prefer: [ap]
              - match: { continent: [AS] }
                prefer: [ap, us, eu]
              - match: { continent: [EU] }
                prefer: [eu, us, ap]
              - default: [us, eu, ap]
          split:
            regions:
              eu: { target: eu.www, weight: 100 }
              us: { target: us.www, weight: 50 }
            topology:
              - default: [[eu, us]]
          "@":
            regions:
              ap: { target: ap.www }
              us: { target: us.www }
            topology:
              - match: { continent: [AS] }
                prefer: [ap, us]
              - default: [us, ap]
          addr:
            mode: address
            regions:
              eu: { target: eu.www }
              us: { target: us.www }
            topology:
              - default: [eu, us]
          closed:
            all-down: servfail
            regions:
              eu: { target: eu.www }
            topology:
              - default: [eu]
          empty:
            all-down: nodata
            regions:
              eu: { target: eu.www }
            topology:
              - default: [eu]
        """;

    /// <summary>1.1/16 Japan, 1.2/16 Germany, 5.5/16 USA, 6.6/16 an ASN pinned to ap, 2a00:1000::/32 Germany.</summary>
    public const string GeoCsv = """
        network,country_code,continent_code,subdivision_code,latitude,longitude,asn,asn_org
        1.1.0.0/16,JP,AS,13,35.68,139.69,,
        1.2.0.0/16,DE,EU,,50.11,8.68,,
        5.5.0.0/16,US,NA,VA,39.04,-77.49,,
        6.6.0.0/16,CN,AS,,39.9,116.4,4766,Pinned ISP
        2a00:1000::/32,DE,EU,,50.11,8.68,,
        """;

    public static string BuildGeoDatabase(string folder, string csv = GeoCsv, string name = "test-city.mmdb")
    {
        Directory.CreateDirectory(folder);
        var source = Path.Combine(folder, name + ".csv");
        File.WriteAllText(source, csv + "\n");
        var output = Path.Combine(folder, name);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = GeoIpBuildCommand.Run([source, output], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        File.Delete(source);
        return output;
    }

    public static async Task<TestServer> StartAsync(string zone = Zone, string policy = Policy, string? admin = null)
    {
        var geoFolder = TempFolder.Create();
        BuildGeoDatabase(geoFolder);
        var files = new Dictionary<string, string>
        {
            ["example.com.zone"] = zone,
            ["example.com.gslb.yaml"] = policy,
        };
        if (admin is not null) files["admin-state.yaml"] = admin;
        return await TestServer.StartAsync(files, new Dictionary<string, string?> { ["Server:GeoIp:0"] = geoFolder });
    }
}

public sealed class SteeringServerFixture : IAsyncLifetime
{
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await SteeringSetup.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
