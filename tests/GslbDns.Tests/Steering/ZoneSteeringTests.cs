using GslbDns.Protocol;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Steering;

/// <summary>How a steered zone tells services, region targets and plain names apart.</summary>
public class ZoneSteeringTests
{
    // "edge" is a service and also the target of www's region "e".
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        static  A     192.0.2.1
        us.www  A     192.0.2.10
        a.edge  A     192.0.2.20
        """;

    private const string Policy = """
        services:
          www:
            regions:
              us: { target: us.www }
              e: { target: edge }
            topology:
              - default: [us, e]
          edge:
            mode: address
            regions:
              a: { target: a.edge }
            topology:
              - default: [a]
        """;

    private static (ZoneSteering Steering, CompiledZone Zone) Compile()
    {
        var origin = DnsName.Parse("example.com.");
        var read = MasterFileReader.ReadText(Zone, "example.com.zone", origin);
        Assert.Empty(read.Problems);
        var zone = ZoneCompiler.Compile(origin, read.Records, "example.com.zone");
        var (document, problems) = PolicyReader.ReadText(Policy, "example.com.gslb.yaml", origin);
        Assert.Empty(problems);
        return (SteeringCompiler.Compile(document!, zone, GeoDatabaseSet.Empty, new RegionStateStore()), zone);
    }

    private static byte[] Wire(string name) => DnsName.Parse(name).Wire.ToArray();

    [Fact]
    public void ServiceName_IsFoundAsTheService_EvenWhenAnotherServiceTargetsIt()
    {
        var (steering, _) = Compile();
        Assert.Equal("edge.example.com.", steering.FindService(Wire("edge.example.com."))!.Policy.Name.ToString());
        Assert.True(steering.TryFindTarget(Wire("edge.example.com."), out var owner, out int region));
        Assert.Equal("www.example.com.", owner.Policy.Name.ToString());
        Assert.Equal(1, region);
    }

    [Fact]
    public void RegionTarget_IsNoService_ButNamesItsServiceAndRegion()
    {
        var (steering, _) = Compile();
        Assert.Null(steering.FindService(Wire("a.edge.example.com.")));
        Assert.True(steering.TryFindTarget(Wire("a.edge.example.com."), out var owner, out int region));
        Assert.Equal("edge.example.com.", owner.Policy.Name.ToString());
        Assert.Equal(0, region);
    }

    [Fact]
    public void PlainName_IsNeither()
    {
        var (steering, _) = Compile();
        Assert.Null(steering.FindService(Wire("static.example.com.")));
        Assert.False(steering.TryFindTarget(Wire("static.example.com."), out _, out _));
        // The same length as a service name ("www" and "abc"), so the length filter lets it through to the table.
        Assert.Null(steering.FindService(Wire("abc.example.com.")));
    }

    [Fact]
    public void RegionTargetNode_IsTheZonesOwnNode()
    {
        var (steering, zone) = Compile();
        var us = steering.Services[0].Regions[0];
        Assert.NotNull(us.TargetNode);
        Assert.Equal(zone.Find(us.Target), us.TargetNode);
        Assert.NotNull(us.TargetNode.Value.Find(RecordType.A));
    }
}
