using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

/// <summary>
/// The grouping by owner that normalizing makes is reused by validation and taken over by the
/// compiler's node table; what it answers afterwards, and a second compile from it, stay right.
/// </summary>
public class SharedGroupingTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.test.");

    private const string Zone = """
        $TTL 300
        @            SOA ns1 host 1 3600 600 86400 300
        @            NS  ns1
        ns1          A   192.0.2.1
        a.b.c        A   192.0.2.2
        www          CNAME a.b.c
        a.b.c        TXT "x"
        """;

    private static ZoneFileResult Read()
    {
        var read = MasterFileReader.ReadText(Zone, "example.test.zone", Origin);
        Assert.Empty(read.Problems);
        var records = RRsetNormalizer.Normalize(read.Records, out var grouped);
        OwnerGroups? owners = grouped;
        Assert.Empty(ZoneValidator.Validate(Origin, records, "example.test.zone", ref owners));
        Assert.NotNull(owners);
        return new ZoneFileResult("example.test.zone", Origin, records, []) { Owners = owners };
    }

    [Fact]
    public void AfterCompiling_EmptyNonTerminalsAreNodes_ButNotOwnersOfTheGrouping()
    {
        var result = Read();
        var zone = ZoneCompiler.Compile(result);

        var ent = DnsName.Parse("b.c.example.test.");
        Assert.True(zone.Find(ent)!.Value.IsEmptyNonTerminal);
        Assert.True(zone.Find(DnsName.Parse("c.example.test."))!.Value.IsEmptyNonTerminal);
        Assert.False(result.Owners!.TryFind(ent, out _));
        Assert.True(result.Owners.TryFind(DnsName.Parse("a.b.c.example.test."), out int id));
        Assert.Equal(2, result.Owners[id].Length);
        Assert.Equal(6, zone.NodeCount);
    }

    [Fact]
    public void CompilingTwiceFromOneGrouping_GivesTwoEqualZones()
    {
        var result = Read();
        var first = ZoneCompiler.Compile(result);
        var second = ZoneCompiler.Compile(result);

        Assert.Equal(first.NodeCount, second.NodeCount);
        foreach (var node in first.Nodes)
        {
            var found = second.Find(node.Name);
            Assert.NotNull(found);
            var other = found.Value;
            Assert.Equal(node.Sets.Length, other.Sets.Length);
            Assert.Equal(node.IsEmptyNonTerminal, other.IsEmptyNonTerminal);
        }
        // Two zones, two tables: the same name is a node of each.
        Assert.NotEqual(first.Find(DnsName.Parse("b.c.example.test.")), second.Find(DnsName.Parse("b.c.example.test.")));
        Assert.Equal(DnsName.Parse("a.b.c.example.test."), second.Find(DnsName.Parse("www.example.test."))!.Value.CnameTarget);
    }
}
