using System.Net;
using GslbDns.Zones.Reading;
using Xunit;

namespace GslbDns.Tests.Zones;

public class AddressTextTests
{
    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("1::")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:DB8:0:0:8:800:200C:417A")]
    [InlineData("2001:db8:0:0:8:800:200c::")]
    [InlineData("::2001:db8:0:0:8:800:200c")]
    [InlineData("ff01::101")]
    [InlineData("0:0:0:0:0:0:0:0")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData("::192.0.2.1")]
    [InlineData("64:ff9b::198.51.100.7")]
    [InlineData("1:2:3:4:5:6:192.0.2.1")]
    [InlineData("1:2:3:4:5::192.0.2.1")]
    [InlineData("0001:02:003:4::")]
    public void Valid_forms_give_the_same_octets_as_IPAddress(string text)
    {
        Span<byte> octets = stackalloc byte[16];
        Assert.True(AddressText.TryParseIPv6(text, octets), text);
        Assert.Equal(IPAddress.Parse(text).GetAddressBytes(), octets.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData(":1::2")]
    [InlineData("1::2:")]
    [InlineData("1:2")]
    [InlineData("1::2::3")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("::1:2:3:4:5:6:7:8")]
    [InlineData("12345::")]
    [InlineData("2001:db8::zz")]
    [InlineData("2001:db8::1%eth0")]
    [InlineData("[2001:db8::1]")]
    [InlineData("2001:db8::1/64")]
    [InlineData("192.0.2.1")]
    [InlineData("::192.0.2")]
    [InlineData("::192.0.2.256")]
    [InlineData("::192.0.2.1:1")]
    [InlineData("1:2:3:4:5:6:7:192.0.2.1")]
    [InlineData(" ::1")]
    [InlineData("::1 ")]
    public void Invalid_forms_are_refused(string text)
    {
        Span<byte> octets = stackalloc byte[16];
        Assert.False(AddressText.TryParseIPv6(text, octets), text);
    }

    [Fact]
    public void Random_addresses_in_the_forms_IPAddress_writes_read_back()
    {
        var random = new Random(4291);
        Span<byte> octets = stackalloc byte[16];
        for (int n = 0; n < 20_000; n++)
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            // Runs of zero groups, so that "::" turns up in many places and lengths.
            int zeroFrom = random.Next(8), zeroTo = Math.Min(8, zeroFrom + random.Next(9));
            for (int g = zeroFrom; g < zeroTo; g++) bytes[2 * g] = bytes[2 * g + 1] = 0;
            var address = new IPAddress(bytes);
            string compressed = address.ToString();
            Assert.True(AddressText.TryParseIPv6(compressed, octets), compressed);
            Assert.Equal(bytes, octets.ToArray());
            string full = string.Join(':', Enumerable.Range(0, 8).Select(g => (bytes[2 * g] << 8 | bytes[2 * g + 1]).ToString("X")));
            Assert.True(AddressText.TryParseIPv6(full, octets), full);
            Assert.Equal(bytes, octets.ToArray());
        }
    }

    [Fact]
    public void Reading_an_address_allocates_nothing()
    {
        Span<byte> octets = stackalloc byte[16];
        AddressText.TryParseIPv6("2001:db8::192.0.2.1", octets);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) AddressText.TryParseIPv6("2001:db8:85a3::8a2e:370:7334", octets);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
