using System.Net;
using GslbDns.Protocol;
using GslbDns.Steering.Geo;
using MaxMind.Db;
using static GslbDns.Tests.Geo.GeoFixtures;

namespace GslbDns.Tests.Geo;

/// <summary>
/// IPv6 addresses that a database's search tree aliases to its IPv4 subtree (6to4 2002::/16, Teredo
/// 2001::/32, IPv4-compatible ::/96) are located as MaxMind's reader locates them, with the scope in
/// IPv6 bits: the alias prefix plus the IPv4 network's length.
/// </summary>
public sealed class GeoTreeAliasTests
{
    private const int Unknown = -1;
    private const int Europe = 2;
    private const int Asia = 3;
    private const int Special = 9;

    private static readonly (UInt128, int)[] NoSplits = [];

    private static int ByContinent(GeoFacts facts, UInt128 _) => facts.Continent switch
    {
        "EU" => Europe,
        "AS" => Asia,
        _ => Unknown,
    };

    private static GeoDatabaseSet GbAndJp(TempDirectory dir) => new([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City",
        ("81.2.69.144/28", City("GB", "EU", 51.5, -0.1)),
        ("81.2.69.128/28", City("JP", "AS", 35, 139)),
        ("2a02:d180::/29", City("DE", "EU", 51, 9))))]);

    [Theory]
    [InlineData("2002:5102:4590::", 44)]        // 6to4: 16 + 28
    [InlineData("2002:5102:459f:ffff::1", 44)]
    [InlineData("2001:0:5102:4590::", 60)]      // Teredo, as the tree aliases it: 32 + 28
    [InlineData("::81.2.69.150", 124)]          // IPv4-compatible: 96 + 28
    public void AliasedAddress_LocatedAsItsIPv4Network(string address, int scope)
    {
        using var dir = new TempDirectory();
        using var set = GbAndJp(dir);

        var tree = GeoTree.Compile(set, NoSplits, ByContinent);

        Assert.Equal(Europe, tree.Lookup(Address(address), out var found));
        Assert.Equal(scope, found);
        Assert.Equal(Europe, tree.Lookup(Address("81.2.69.150"), out var v4));
        Assert.Equal(28, v4);
        Assert.Equal(Asia, tree.Lookup(Address("2002:5102:4580::"), out var jp));
        Assert.Equal(44, jp);
        Assert.Equal(Unknown, tree.Lookup(Address("2002:5102:4600::"), out _));
        Assert.Equal(Europe, tree.Lookup(Address("2a02:d180::1"), out var native));
        Assert.Equal(29, native);
    }

    [Fact]
    public void AliasedAddress_ScopeIsTheReadersPrefix()
    {
        // Every network has its own coordinates, so nothing merges and the scope is exactly the
        // prefix the reader reports.
        var networks = new List<(string, MmdbValue)>();
        var v4 = new[] { "1.0.0.0/8", "81.2.69.144/28", "81.2.69.160/27", "81.2.69.142/31", "89.160.20.128/25", "175.16.199.0/24", "216.160.83.56/29", "203.0.113.7/32" };
        var v6 = new[] { "2001:db8::/32", "2a02:d180::/29", "2001:220::/31", "2400::/12" };
        foreach (var network in v4.Concat(v6))
        {
            networks.Add((network, City("GB", "EU", networks.Count, 0)));
        }
        using var dir = new TempDirectory();
        var path = Write(dir.File("c.mmdb"), "Test-City", networks.ToArray());
        using var set = new GeoDatabaseSet([GeoDatabase.Open(path)]);
        using var reader = new Reader(path, FileAccessMode.Memory);
        var tree = GeoTree.Compile(set, NoSplits, (facts, _) => facts.Latitude is { } latitude ? (int)latitude : Unknown);

        var addresses = new List<IPAddress>();
        var random = new Random(7);
        foreach (var network in v4)
        {
            var prefix = IpPrefix.Parse(network);
            for (var i = 0; i < 20; i++)
            {
                var host = (uint)prefix.Bits | ((uint)random.NextInt64(0, 1L << 32) & ~(uint)IpPrefix.Mask(prefix.Length));
                var bytes = BitConverter.GetBytes(host);
                Array.Reverse(bytes);
                var rest = BitConverter.GetBytes(random.NextInt64());
                addresses.Add(IPAddress.Parse($"2002:{bytes[0]:x2}{bytes[1]:x2}:{bytes[2]:x2}{bytes[3]:x2}:{rest[0]:x2}{rest[1]:x2}::{rest[2]:x2}"));
                addresses.Add(IPAddress.Parse($"2001:0:{bytes[0]:x2}{bytes[1]:x2}:{bytes[2]:x2}{bytes[3]:x2}:{rest[0]:x2}{rest[1]:x2}::{rest[2]:x2}"));
                addresses.Add(IPAddress.Parse($"::{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}"));
                addresses.Add(IPAddress.Parse($"::ffff:{bytes[0]}.{bytes[1]}.{bytes[2]}.{bytes[3]}"));
            }
        }
        addresses.AddRange(v6.Select(n => IPAddress.Parse(n.Split('/')[0])));
        addresses.Add(IPAddress.Parse("2001:db8:ffff::1"));

        foreach (var address in addresses)
        {
            var record = reader.Find<Dictionary<string, object>>(address, out var prefixLength);
            Assert.True(record is not null, $"{address}: the reader finds nothing");
            var expected = (int)(double)((Dictionary<string, object>)record["location"])["latitude"];
            var client = GslbDns.Pipeline.ClientAddress.FromIPAddress(address);
            Assert.True(expected == tree.Lookup(client, out var scope), $"{address}: tree disagrees with the reader");
            var readerScope = client.IsIPv4 ? prefixLength - 96 : prefixLength;
            Assert.True(readerScope == scope, $"{address}: scope /{scope}, reader /{prefixLength}");
        }
    }

    [Fact]
    public void Cidrs_ApplyToTheAddressAsWritten()
    {
        using var dir = new TempDirectory();
        using var set = GbAndJp(dir);
        var sixToFour = IpPrefix.Parse("2002:5102::/32");
        var ipv4 = IpPrefix.Parse("81.2.69.0/24");

        var tree = GeoTree.Compile(set, [(sixToFour.Bits, sixToFour.Length), (ipv4.Bits, ipv4.Length)],
            (facts, start) => sixToFour.Contains(start) ? Special : ipv4.Contains(start) ? Special + 1 : ByContinent(facts, start));

        Assert.Equal(Special, tree.Lookup(Address("2002:5102:4590::"), out var rule));
        Assert.Equal(32, rule);
        Assert.Equal(Special + 1, tree.Lookup(Address("81.2.69.150"), out _));
        Assert.Equal(Europe, tree.Lookup(Address("2001:0:5102:4590::"), out var teredo));
        Assert.Equal(60, teredo);
    }

    [Fact]
    public void ReservedNetworks_InsideAnAlias_StayUnknown()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City",
            ("0.0.0.0/1", City("GB", "EU", 51.5, -0.1))))]);

        var tree = GeoTree.Compile(set, NoSplits, ByContinent);

        Assert.Equal(Unknown, tree.Lookup(Address("::1"), out _));                 // loopback, not 0.0.0.1
        Assert.Equal(Europe, tree.Lookup(Address("::2.0.0.1"), out _));
        Assert.Equal(Unknown, tree.Lookup(Address("0.0.0.1"), out _));             // RFC 1122 "this network"
        Assert.Equal(Europe, tree.Lookup(Address("2002:0000:0001::"), out _));     // the database, as the reader sees it
        Assert.Equal(Unknown, tree.Lookup(Address("10.0.0.1"), out _));
    }

    [Fact]
    public void AliasOnlyOneDatabaseHas_IsFilledFromThatDatabase()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([
            GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City", ("81.2.69.0/24", City("GB", "EU", 51.5, -0.1)))),
            // Native data in 2002::/16 keeps this file from aliasing it.
            GeoDatabase.Open(Write(dir.File("a.mmdb"), "Test-ASN", ("81.2.69.0/24", Asn(20712, "AAISP")), ("2002:5102:4590::/44", Asn(64500, "Relay")))),
        ]);
        Assert.Contains(IpPrefix.Parse("2002::/16"), set.Databases[0].Ipv4Aliases);
        Assert.DoesNotContain(IpPrefix.Parse("2002::/16"), set.Databases[1].Ipv4Aliases);

        var tree = GeoTree.Compile(set, NoSplits, (facts, _) => facts.Continent == "EU" ? (int)(facts.Asn ?? 0) : Unknown);

        Assert.Equal(64500, tree.Lookup(Address("2002:5102:4590::"), out var relay));
        Assert.Equal(44, relay);
        Assert.Equal(0, tree.Lookup(Address("2002:5102:4580::"), out var cityOnly));
        Assert.Equal(44, cityOnly);
        Assert.Equal(20712, tree.Lookup(Address("2001:0:5102:4590::"), out var teredo));
        Assert.Equal(56, teredo);
        Assert.Equal(20712, tree.Lookup(Address("81.2.69.1"), out _));
    }

    [MaxMindDataFact]
    public void MaxMindCityTest_SixToFourAndTeredo_LocatedAsTheReaderDoes()
    {
        var path = GeoTestData.MaxMind("GeoIP2-City-Test.mmdb");
        using var set = new GeoDatabaseSet([GeoDatabase.Open(path)]);
        using var reader = new Reader(path, FileAccessMode.Memory);
        var countries = new Dictionary<string, int>(StringComparer.Ordinal);
        var tree = GeoTree.Compile(set, NoSplits, (facts, _) =>
        {
            var key = (facts with { MatchedNetwork = null }).ToString();
            if (!countries.TryGetValue(key, out var id))
            {
                countries[key] = id = countries.Count;
            }
            return id;
        });
        var gb = tree.Lookup(Address("81.2.69.150"), out var v4);
        Assert.Equal("GB", tree.LookupFacts(Address("81.2.69.150")).Country);
        Assert.Equal(28, v4);

        foreach (var (address, scope) in new[] { ("2002:5102:4590::", 44), ("2001:0:5102:4590::", 60), ("::81.2.69.150", 124) })
        {
            Assert.True(gb == tree.Lookup(Address(address), out var found), $"{address} is not located as 81.2.69.144/28");
            Assert.Equal(scope, found);
            reader.Find<Dictionary<string, object>>(IPAddress.Parse(address), out var prefixLength);
            Assert.Equal(prefixLength, found);
            Assert.Equal("GB", tree.LookupFacts(Address(address)).Country);
        }
    }
}
