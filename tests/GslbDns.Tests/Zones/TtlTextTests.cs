using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

public class TtlTextTests
{
    [Theory]
    [InlineData("0", 0u)]
    [InlineData("1s", 1u)]
    [InlineData("1m1s", 61u)]
    [InlineData("1H", 3600u)]
    [InlineData("3w", 1814400u)]
    public void Parses(string text, uint expected)
    {
        Assert.True(TtlText.TryParseTtl(text, out uint ttl, out _));
        Assert.Equal(expected, ttl);
    }

    [Theory]
    [InlineData("", "bad TTL '': empty")]
    [InlineData("h", "bad TTL 'h': expected a number at 'h'")]
    [InlineData("1hh", "bad TTL '1hh': expected a number at 'h'")]
    [InlineData("-1", "bad TTL '-1': expected a number at '-1'")]
    [InlineData("4000w", "bad TTL '4000w': 2419200000 is over the maximum 2147483647 (RFC 2181 §8)")]
    [InlineData("100000w", "bad TTL '100000w': value too large")]
    public void Refuses(string text, string error)
    {
        Assert.False(TtlText.TryParseTtl(text, out _, out string actual));
        Assert.Equal(error, actual);
    }
}
