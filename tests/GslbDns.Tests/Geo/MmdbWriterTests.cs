using GslbDns.Protocol;
using System.Net;
using GslbDns.Steering.Geo;
using MaxMind.Db;

namespace GslbDns.Tests.Geo;

public sealed class MmdbWriterTests
{
    private static MmdbValue Country(string code) => MmdbMap.Of(("country", MmdbMap.Of(("iso_code", new MmdbString(code)))));

    private static Reader Open(byte[] bytes) => new(new MemoryStream(bytes));

    internal static byte[] Build(IEnumerable<(string Network, MmdbValue Data)> networks, int? recordSize = null)
    {
        using var stream = new MemoryStream();
        MmdbWriter.Write(
            stream,
            networks.Select(n => (IpPrefix.Parse(n.Network), n.Data)),
            new MmdbWriterOptions("Test-City", ["en"], new Dictionary<string, string> { ["en"] = "test" }, 1_700_000_000) { RecordSize = recordSize });
        return stream.ToArray();
    }

    private static string? CountryOf(Reader reader, string address, out int prefixLength)
    {
        var record = reader.Find<Dictionary<string, object>>(IPAddress.Parse(address), out prefixLength);
        if (record is null)
        {
            return null;
        }
        return (string)((Dictionary<string, object>)record["country"])["iso_code"];
    }

    [Theory]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(32)]
    public void RoundTrip_EveryNetworkFoundWithItsPrefixLength(int recordSize)
    {
        var networks = new (string, MmdbValue)[]
        {
            ("81.2.69.160/27", Country("GB")),
            ("2.2.3.0/24", Country("GB")),
            ("10.0.0.0/8", Country("AA")),
            ("10.1.0.0/16", Country("BB")),
            ("175.16.199.0/24", Country("CN")),
            ("2001:db8::/33", Country("US")),
            ("2001:db8:8000::/33", Country("DE")),
            ("2001:220::/32", Country("KR")),
        };
        var bytes = Build(networks, recordSize);
        using var reader = Open(bytes);

        Assert.Equal(recordSize, MmdbMetadata.Read(bytes, bytes.Length).RecordSize);
        Assert.Equal("Test-City", reader.Metadata.DatabaseType);
        Assert.Equal(6, reader.Metadata.IPVersion);
        Assert.Equal(2, reader.Metadata.BinaryFormatMajorVersion);
        Assert.Equal("test", reader.Metadata.Description["en"]);

        Assert.Equal("GB", CountryOf(reader, "81.2.69.161", out var p1));
        Assert.Equal(27, p1);
        Assert.Equal("GB", CountryOf(reader, "2.2.3.255", out var p2));
        Assert.Equal(24, p2);
        Assert.Equal("AA", CountryOf(reader, "10.2.0.1", out var p3));
        Assert.Equal(15, p3); // the /8 minus the /16 hole leaves 10.2.0.0/15 as the enclosing leaf
        Assert.Equal("BB", CountryOf(reader, "10.1.200.1", out var p4));
        Assert.Equal(16, p4);
        Assert.Equal("CN", CountryOf(reader, "175.16.199.1", out _));
        Assert.Equal("US", CountryOf(reader, "2001:db8::1", out var p5));
        Assert.Equal(33, p5);
        Assert.Equal("DE", CountryOf(reader, "2001:db8:ffff::1", out var p6));
        Assert.Equal(33, p6);
        Assert.Equal("KR", CountryOf(reader, "2001:220::1", out var p7));
        Assert.Equal(32, p7);
    }

    [Fact]
    public void MappedAddress_FindsIPv4Data()
    {
        using var reader = Open(Build([("81.2.69.160/27", Country("GB"))]));

        Assert.Equal("GB", CountryOf(reader, "::ffff:81.2.69.170", out var mapped));
        Assert.Equal(96 + 27, mapped);
        Assert.Equal("GB", CountryOf(reader, "::81.2.69.170", out var compatible));
        Assert.Equal(96 + 27, compatible);
    }

    [Theory]
    [InlineData("2002:5102:4590::", 44)]          // 6to4: bits 16..47 are the IPv4 address
    [InlineData("2001:0:5102:4590::", 60)]        // Teredo: MaxMind's alias walks bits 32..63
    [InlineData("::81.2.69.144", 124)]            // IPv4-compatible: where the file keeps IPv4
    [InlineData("::ffff:81.2.69.150", 124)]       // IPv4-mapped, asked as IPv6
    public void IPv4Aliases_FindIPv4DataWithIPv6PrefixLength(string address, int prefixLength)
    {
        using var reader = Open(Build([("81.2.69.144/28", Country("GB")), ("2a02::/16", Country("DE"))]));

        Assert.Equal("GB", CountryOf(reader, address, out var found));
        Assert.Equal(prefixLength, found);
        Assert.Equal("DE", CountryOf(reader, "2a02::1", out _));
    }

    [Fact]
    public void IPv4Alias_NotWrittenOverNetworksOfItsOwn()
    {
        using var reader = Open(Build([("81.2.69.144/28", Country("GB")), ("2002:5102::/32", Country("NL"))]));

        Assert.Equal("NL", CountryOf(reader, "2002:5102:4590::", out var own));
        Assert.Equal(32, own);
        Assert.Null(CountryOf(reader, "2002:5103::", out _));
        Assert.Equal("GB", CountryOf(reader, "2001:0:5102:4590::", out var teredo));
        Assert.Equal(60, teredo);
    }

    [Fact]
    public void AddressOutsideEveryNetwork_IsNull()
    {
        using var reader = Open(Build([("81.2.69.160/27", Country("GB")), ("2001:db8::/32", Country("US"))]));

        Assert.Null(CountryOf(reader, "81.2.69.192", out _));
        Assert.Null(CountryOf(reader, "1.1.1.1", out _));
        Assert.Null(CountryOf(reader, "2001:db9::1", out _));
        Assert.Null(CountryOf(reader, "::ffff:1.1.1.1", out _));
    }

    [Fact]
    public void IdenticalData_IsStoredOnce()
    {
        using var stream = new MemoryStream();
        var result = MmdbWriter.Write(
            stream,
            [(IpPrefix.Parse("192.0.2.0/24"), Country("US")), (IpPrefix.Parse("198.51.100.0/24"), Country("US")), (IpPrefix.Parse("203.0.113.0/24"), Country("JP"))],
            new MmdbWriterOptions("Test", [], new Dictionary<string, string>(), 0));

        Assert.Equal(3, result.NetworkCount);
        Assert.Equal(2, result.DataRecordCount);
    }

    [Fact]
    public void AllValueTypes_RoundTrip()
    {
        var longText = new string('x', 70000);
        var data = MmdbMap.Of(
            ("s", new MmdbString("héllo")),
            ("repeat", new MmdbString("héllo")),
            ("long", new MmdbString(longText)),
            ("d", new MmdbDouble(-12.5)),
            ("f", new MmdbFloat(1.25f)),
            ("u16", new MmdbUInt16(65535)),
            ("u32", new MmdbUInt32(0)),
            ("u64", new MmdbUInt64(ulong.MaxValue)),
            ("i32", new MmdbInt32(-5)),
            ("i32p", new MmdbInt32(300)),
            ("t", new MmdbBoolean(true)),
            ("a", new MmdbArray([new MmdbString("one"), new MmdbUInt32(2)])));
        using var reader = Open(Build([("192.0.2.0/24", data), ("192.0.3.0/24", MmdbMap.Of(("s", new MmdbString("héllo"))))]));

        var record = reader.Find<Dictionary<string, object>>(IPAddress.Parse("192.0.2.1"))!;
        Assert.Equal("héllo", record["s"]);
        Assert.Equal("héllo", record["repeat"]);
        Assert.Equal(longText, record["long"]);
        Assert.Equal(-12.5, record["d"]);
        Assert.Equal(1.25f, record["f"]);
        Assert.Equal(65535, Convert.ToInt32(record["u16"]));
        Assert.Equal(0L, Convert.ToInt64(record["u32"]));
        Assert.Equal(ulong.MaxValue, Convert.ToUInt64(record["u64"]));
        Assert.Equal(-5, record["i32"]);
        Assert.Equal(300, record["i32p"]);
        Assert.Equal(true, record["t"]);
        var array = Assert.IsAssignableFrom<System.Collections.IList>(record["a"]);
        Assert.Equal("one", array[0]);
        var other = reader.Find<Dictionary<string, object>>(IPAddress.Parse("192.0.3.1"))!;
        Assert.Equal("héllo", other["s"]);
    }
}
