using GslbDns.Protocol;

namespace GslbDns.Tests.Zones;

public class DnsNameValueTests
{
    [Fact]
    public void TheDefaultName_HasNoBytes_AndEqualsOnlyItself()
    {
        DnsName none = default;

        Assert.Equal(0, none.Wire.Length);
        Assert.Equal(0, none.GetHashCode());
        Assert.Equal(0, none.LabelCount);
        Assert.False(none.IsWildcard);
        Assert.Equal("", none.ToString());
        Assert.True(none == default);
        Assert.True(none != DnsName.Root);
        Assert.False(DnsName.Root.Equals(none));
    }

    [Fact]
    public void NamesInDifferentBuffers_AreEqual_ByTheirBytes()
    {
        var parsed = DnsName.Parse("www.example.test.");
        var fromWire = DnsName.FromWire(DnsName.Parse("WWW.Example.Test.").Wire);
        var ancestor = DnsName.Parse("a.www.example.test.").Ancestor(1);

        Assert.True(parsed == fromWire);
        Assert.True(parsed == ancestor);
        Assert.Equal(parsed.GetHashCode(), ancestor.GetHashCode());
        Assert.True(parsed.Equals((object)ancestor));
        Assert.False(parsed.Equals((object)"www.example.test."));
        Assert.True(parsed != DnsName.Parse("example.test."));
        Assert.False(parsed.Equals(DnsName.Parse("ww.example.test.")));

        var byName = new Dictionary<DnsName, int>(WireComparer.Instance) { [parsed] = 1 };
        Assert.Equal(1, byName[ancestor]);
        Assert.True(byName.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(fromWire.Wire, out int found));
        Assert.Equal(1, found);
    }

    [Fact]
    public void ANullableName_IsNoneUntilGiven()
    {
        DnsName? none = null;
        DnsName? given = DnsName.Parse("example.test.");

        Assert.False(none.HasValue);
        Assert.False(none == DnsName.Parse("example.test."));
        Assert.True(given == DnsName.Parse("example.test."));
        Assert.Equal(DnsName.Parse("a.example.test."), DnsName.Parse("a", given));
    }
}
