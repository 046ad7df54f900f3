using GslbDns.Protocol;
using GslbDns.Steering.Geo;

namespace GslbDns.Tests.Geo;

public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("81.2.69.160/27", "81.2.69.160/27", true, 123)]
    [InlineData("::ffff:81.2.69.160/123", "81.2.69.160/27", true, 123)]
    [InlineData("::81.2.69.160/123", "81.2.69.160/27", true, 123)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", true, 96)]
    [InlineData("2001:db8::/32", "2001:db8::/32", false, 32)]
    [InlineData("::/0", "::/0", false, 0)]
    public void Parse_NormalisesIPv4IntoMappedSpace(string text, string shown, bool isIPv4, int length)
    {
        var prefix = IpPrefix.Parse(text);

        Assert.Equal(shown, prefix.ToString());
        Assert.Equal(isIPv4, prefix.IsIPv4);
        Assert.Equal(length, prefix.Length);
    }

    [Theory]
    [InlineData("10.0.0.0", "has no prefix length")]
    [InlineData("10.0.0.0/33", "has a bad prefix length (0 to 32)")]
    [InlineData("2001:db8::/129", "has a bad prefix length (0 to 128)")]
    [InlineData("10.0.0.1/8", "has host bits set; the network is 10.0.0.0/8")]
    [InlineData("nonsense/8", "not an IP address")]
    [InlineData("fe80::1%eth0/64", "not an IP address")]
    public void TryParse_ExplainsBadInput(string text, string problem)
    {
        Assert.False(IpPrefix.TryParse(text, out _, out var error));
        Assert.Contains(problem, error);
    }

    [Fact]
    public void Contains_ChecksPrefixBits()
    {
        var network = IpPrefix.Parse("192.0.2.0/24");

        Assert.True(network.Contains(IpPrefix.Parse("192.0.2.128/25")));
        Assert.False(network.Contains(IpPrefix.Parse("192.0.0.0/16")));
        Assert.False(network.Contains(IpPrefix.Parse("192.0.3.0/24").Bits));
    }

    [Theory]
    [InlineData("GB", "EU")]
    [InlineData("US", "NA")]
    [InlineData("JP", "AS")]
    [InlineData("AU", "OC")]
    [InlineData("BR", "SA")]
    [InlineData("ZA", "AF")]
    [InlineData("AQ", "AN")]
    [InlineData("ZZ", null)]
    [InlineData(null, null)]
    public void CountryContinents_MapsIsoCodes(string? country, string? continent)
    {
        Assert.Equal(continent, CountryContinents.Of(country));
    }
}
