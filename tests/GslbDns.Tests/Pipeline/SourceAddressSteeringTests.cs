using System.Net;
using ARSoft.Tools.Net.Dns;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Tests.Geo;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Tests.Pipeline;

/// <summary>
/// Without ECS the resolver's own address is located. Loopback sockets cannot come from public
/// addresses, so this drives the pipeline with the address a listener would have read.
/// </summary>
public sealed class SourceAddressSteeringTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gslbdns-src-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("1.1.5.7", "ap")]
    [InlineData("1.2.0.9", "eu")]
    [InlineData("9.9.9.9", "us")]
    [InlineData("10.1.2.3", "us")]        // private: in no database, whatever a database says
    [InlineData("2a00:1000::5", "eu")]
    public void ResolverAddress_IsLocated_WhenTheQueryHasNoEcs(string source, string region)
    {
        Directory.CreateDirectory(_folder);
        var path = GeoFixtures.Write(Path.Combine(_folder, "city.mmdb"), "Test-City",
            ("1.1.0.0/16", GeoFixtures.City("JP", "AS", 35.68, 139.69)),
            ("1.2.0.0/16", GeoFixtures.City("DE", "EU", 50.11, 8.68)),
            ("10.0.0.0/8", GeoFixtures.City("JP", "AS", 35.68, 139.69)),
            ("2a00:1000::/32", GeoFixtures.City("DE", "EU", 50.11, 8.68)));
        using var databases = new GeoDatabaseSet([GeoDatabase.Open(path)]);

        var origin = DnsName.Parse("example.com.");
        var zone = ZoneCompiler.Compile(origin, MasterFileReader.ReadText("""
            $TTL 300
            @ SOA ns1 hostmaster 1 2 3 4 5
            @ NS ns1
            ns1 A 192.0.2.53
            ap.www A 203.0.113.10
            eu.www A 198.51.100.10
            us.www A 192.0.2.10
            """, "example.com.zone", origin).Records, "example.com.zone");
        var (document, problems) = PolicyReader.ReadText("""
            services:
              www:
                regions: { ap: { target: ap.www }, eu: { target: eu.www }, us: { target: us.www } }
                topology:
                  - match: { continent: AS }
                    prefer: [ap]
                  - match: { continent: EU }
                    prefer: [eu]
                  - default: [us]
            """, "example.com.gslb.yaml", origin);
        Assert.Empty(problems);
        var store = new ZoneStore();
        store.Publish(new ZoneSet([new ServedZone(zone, SteeringCompiler.Compile(document!, zone, databases, new RegionStateStore()))]));
        var pipeline = new QueryPipeline(store, new SteeringStep(NullLogger<SteeringStep>.Instance), new QueryPipelineOptions(), NullLogger<QueryPipeline>.Instance);

        byte[] query = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. origin.Child("www"u8).Wire, 0, 1, 0, 1];
        var response = new byte[512];
        int length = pipeline.Handle(query, response, new RequestContext(Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse(source))));
        var reply = DnsMessage.Parse(response[..length]);
        Assert.Equal(region, reply.AnswerRecords.OfType<CNameRecord>().Single().CanonicalName.Labels[0]);
    }
}
