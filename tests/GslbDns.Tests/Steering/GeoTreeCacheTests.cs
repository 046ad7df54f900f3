using GslbDns.Protocol;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.Topology;

namespace GslbDns.Tests.Steering;

public sealed class GeoTreeCacheTests
{
    private static readonly DnsName Zone = DnsName.Parse("example.com.");

    private static PolicyDocument Read(string yaml)
    {
        var (document, problems) = PolicyReader.ReadText(yaml, "example.com.gslb.yaml", Zone);
        Assert.Empty(problems);
        return document!;
    }

    private const string TwoAlike = """
        services:
          www:
            ttl: 10
            regions: { a: { target: a.www, weight: 5 }, b: { target: b.www } }
            topology:
              - match: { continent: [EU] }
                prefer: [a, b]
              - default: [b, a]
          api:
            ttl: 60
            regions: { x: { target: x.api }, y: { target: y.api } }
            topology:
              - match: { continent: EU }
                prefer: [x, y]
              - default: [y, x]
          other:
            regions: { x: { target: x.other }, y: { target: y.other } }
            topology:
              - match: { continent: [AS] }
                prefer: [x, y]
              - default: [y, x]
        """;

    [Fact]
    public void ServicesWithTheSameRules_ShareATree_DifferentRulesDoNot()
    {
        var document = Read(TwoAlike);
        var cache = new GeoTreeCache();
        var trees = document.Services.Select(s => cache.GetOrCompile(s, new TopologyClassifier(s), GeoDatabaseSet.Empty)).ToArray();
        Assert.Same(trees[0], trees[1]);
        Assert.NotSame(trees[0], trees[2]);
        Assert.Equal(2, cache.Compilations);
    }

    [Fact]
    public void NewDatabases_CompileAgain_TrimKeepsOnlyTreesInUse()
    {
        var document = Read(TwoAlike);
        var cache = new GeoTreeCache();
        var www = document.Services[0];
        var first = cache.GetOrCompile(www, new TopologyClassifier(www), GeoDatabaseSet.Empty);
        var other = cache.GetOrCompile(document.Services[2], new TopologyClassifier(document.Services[2]), GeoDatabaseSet.Empty);

        cache.Trim([first.Tree]);
        Assert.Same(first, cache.GetOrCompile(www, new TopologyClassifier(www), GeoDatabaseSet.Empty));
        Assert.NotSame(other, cache.GetOrCompile(document.Services[2], new TopologyClassifier(document.Services[2]), GeoDatabaseSet.Empty));

        var databases = new GeoDatabaseSet([]);
        Assert.NotSame(first, cache.GetOrCompile(www, new TopologyClassifier(www), databases));
        Assert.Equal(4, cache.Compilations);
    }

    [Fact]
    public void Signature_IgnoresNamesTtlsAndWeights_ButNotLocationsForNearest()
    {
        var document = Read(TwoAlike);
        Assert.Equal(GeoTreeCache.Signature(document.Services[0]), GeoTreeCache.Signature(document.Services[1]));

        var nearest = Read("""
            services:
              a:
                regions: { p: { target: p.a, location: [1, 2] }, q: { target: q.a, location: [3, 4] } }
                topology: [ { default: nearest } ]
              b:
                regions: { p: { target: p.b, location: [1, 2] }, q: { target: q.b, location: [3, 5] } }
                topology: [ { default: nearest } ]
            """);
        Assert.NotEqual(GeoTreeCache.Signature(nearest.Services[0]), GeoTreeCache.Signature(nearest.Services[1]));
    }
}
