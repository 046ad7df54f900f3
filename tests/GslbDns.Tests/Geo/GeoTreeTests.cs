using GslbDns.Protocol;
using GslbDns.Pipeline;
using GslbDns.Steering.Geo;
using static GslbDns.Tests.Geo.GeoFixtures;

namespace GslbDns.Tests.Geo;

public sealed class GeoTreeTests
{
    private const int Unknown = -1;
    private const int America = 1;
    private const int Europe = 2;
    private const int Asia = 3;
    private const int Special = 9;

    private static readonly (UInt128, int)[] NoSplits = [];

    private static int ByContinent(GeoFacts facts, UInt128 _) => facts.Continent switch
    {
        "NA" => America,
        "EU" => Europe,
        "AS" => Asia,
        _ => Unknown,
    };

    private static (UInt128, int) Cidr(string text)
    {
        var prefix = IpPrefix.Parse(text);
        return (prefix.Bits, prefix.Length);
    }

    private static int Lookup(GeoTree tree, string address, out int scope) => tree.Lookup(Address(address), out scope);

    [Fact]
    public void AdjacentNetworksWithSameOutcome_MergeIntoWiderScope()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City",
            ("192.0.2.0/25", City("US", "NA", 40, -100)),
            ("192.0.2.128/25", City("US", "NA", 41, -101)),
            ("192.0.3.0/24", City("DE", "EU", 51, 9))))]);

        var tree = GeoTree.Compile(set, NoSplits, ByContinent);

        Assert.Equal(America, Lookup(tree, "192.0.2.1", out var low));
        Assert.Equal(24, low);
        Assert.Equal(America, Lookup(tree, "192.0.2.200", out var high));
        Assert.Equal(24, high);
        Assert.Equal(Europe, Lookup(tree, "192.0.3.9", out var de));
        Assert.Equal(24, de);
        Assert.Equal(Unknown, Lookup(tree, "192.0.4.1", out var outside));
        Assert.Equal(22, outside); // 192.0.4.0/22 holds nothing but unknown
    }

    [Fact]
    public void CidrSplit_NarrowsScope()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City", ("192.0.2.0/24", City("US", "NA", 40, -100))))]);
        var special = IpPrefix.Parse("192.0.2.0/26");

        var tree = GeoTree.Compile(set, [Cidr("192.0.2.0/26")], (facts, start) => special.Contains(start) ? Special : ByContinent(facts, start));

        Assert.Equal(Special, Lookup(tree, "192.0.2.5", out var inside));
        Assert.Equal(26, inside);
        Assert.Equal(America, Lookup(tree, "192.0.2.100", out var sibling));
        Assert.Equal(26, sibling);
        Assert.Equal(America, Lookup(tree, "192.0.2.200", out var rest));
        Assert.Equal(25, rest);
    }

    [Fact]
    public void PreparedTrie_ServesEveryCompilation_AndStaysUnchanged()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City",
            ("192.0.2.0/24", City("US", "NA", 40, -100)),
            ("192.0.3.0/24", City("DE", "EU", 51, 9)),
            ("2001:db8::/32", City("JP", "AS", 35, 139))))]);
        var special = IpPrefix.Parse("192.0.2.0/26");
        int WithCidr(GeoFacts facts, UInt128 start) => special.Contains(start) ? Special : ByContinent(facts, start);
        string[] addresses = ["192.0.2.5", "192.0.2.100", "192.0.3.9", "192.0.4.1", "2001:db8::1", "10.0.0.1"];
        string Answers(GeoTree tree) => string.Join(' ', addresses.Select(a => $"{Lookup(tree, a, out var scope)}/{scope}"));

        var prepared = GeoTreeCompiler.Prepare(set);
        var before = prepared.Slots[..(2 * prepared.NodeCount)];
        var split = GeoTree.Compile(prepared, set, [Cidr("192.0.2.0/26")], WithCidr);
        var plain = GeoTree.Compile(prepared, set, NoSplits, ByContinent);

        Assert.Equal(before, prepared.Slots[..(2 * prepared.NodeCount)]);
        Assert.Equal(Answers(GeoTree.Compile(set, [Cidr("192.0.2.0/26")], WithCidr)), Answers(split));
        Assert.Equal(Answers(GeoTree.Compile(set, NoSplits, ByContinent)), Answers(plain));
        Assert.Equal(Special, Lookup(split, "192.0.2.5", out _));
        Assert.Equal(America, Lookup(plain, "192.0.2.5", out var scope));
        Assert.Equal(24, scope);
    }

    [Fact]
    public void CidrSplit_WithSameOutcome_MergesBack()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City", ("192.0.2.0/24", City("US", "NA", 40, -100))))]);

        var tree = GeoTree.Compile(set, [Cidr("192.0.2.0/26")], ByContinent);

        Assert.Equal(America, Lookup(tree, "192.0.2.5", out var scope));
        Assert.Equal(24, scope);
    }

    [Fact]
    public void ReservedAddresses_AreUnknownEvenWhenListed()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City",
            ("10.0.0.0/8", City("US", "NA", 40, -100)),
            ("192.168.0.0/16", City("US", "NA", 40, -100)),
            ("fe80::/10", City("DE", "EU", 51, 9)),
            ("fd00::/8", City("DE", "EU", 51, 9)),
            ("11.0.0.0/8", City("US", "NA", 40, -100))))]);
        var seen = new List<GeoFacts>();

        var tree = GeoTree.Compile(set, NoSplits, (facts, start) =>
        {
            seen.Add(facts);
            return ByContinent(facts, start);
        });

        Assert.Equal(Unknown, Lookup(tree, "10.1.2.3", out _));
        Assert.Equal(Unknown, Lookup(tree, "192.168.1.1", out _));
        Assert.Equal(Unknown, Lookup(tree, "127.0.0.1", out _));
        Assert.Equal(Unknown, Lookup(tree, "fe80::1", out _));
        Assert.Equal(Unknown, Lookup(tree, "fd00::1", out _));
        Assert.Equal(Unknown, Lookup(tree, "::1", out _));
        Assert.Equal(America, Lookup(tree, "11.1.2.3", out var scope));
        Assert.Equal(8, scope);
        Assert.Equal(2, seen.Count); // unknown once, the US facts once
        Assert.Contains(seen, f => f.IsUnknown);
    }

    [Fact]
    public void NoDatabases_OneLeafForEverything()
    {
        var tree = GeoTree.Compile(null, NoSplits, (facts, _) => facts.IsUnknown ? 7 : 0);

        Assert.Equal(7, Lookup(tree, "192.0.2.1", out var v4));
        Assert.Equal(0, v4);
        Assert.Equal(7, Lookup(tree, "2001:db8::1", out var v6));
        Assert.Equal(0, v6);
        Assert.Equal(0, tree.NodeCount);
    }

    [Fact]
    public void IPv6AndMappedAddresses_ScopeInTheirOwnBits()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City",
            ("2001:db8::/33", City("US", "NA", 40, -100)),
            ("2001:db8:8000::/33", City("DE", "EU", 51, 9)),
            ("203.0.113.0/24", City("JP", "AS", 35, 139))))]);

        var tree = GeoTree.Compile(set, NoSplits, ByContinent);

        Assert.Equal(America, Lookup(tree, "2001:db8::1", out var us));
        Assert.Equal(33, us);
        Assert.Equal(Europe, Lookup(tree, "2001:db8:8000::1", out var de));
        Assert.Equal(33, de);
        Assert.Equal(Asia, Lookup(tree, "::ffff:203.0.113.7", out var mapped));
        Assert.Equal(24, mapped);
        Assert.Equal(Asia, tree.Lookup(ClientAddress.FromIPv4(0xCB007107), out var v4));
        Assert.Equal(24, v4);
        // IPv4-compatible (::/96) is where the file keeps IPv4, so a reader finds it there: IPv6 bits.
        Assert.Equal(Asia, Lookup(tree, "::203.0.113.7", out var compatible));
        Assert.Equal(120, compatible);
    }

    [Fact]
    public void CityAndAsn_ClassifiedOnMergedFacts()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([
            GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City", ("81.2.69.0/24", City("GB", "EU", 51.5, -0.1)))),
            GeoDatabase.Open(Write(dir.File("a.mmdb"), "Test-ASN", ("81.2.69.128/25", Asn(20712, "AAISP")), ("81.2.70.0/24", Asn(20712, "AAISP")))),
        ]);

        var tree = GeoTree.Compile(set, NoSplits, (facts, start) => facts.Asn == 20712 ? Special : ByContinent(facts, start));

        Assert.Equal(Europe, Lookup(tree, "81.2.69.1", out var gb));
        Assert.Equal(25, gb);
        Assert.Equal(Special, Lookup(tree, "81.2.69.130", out var both));
        Assert.Equal(25, both);
        Assert.Equal(Special, Lookup(tree, "81.2.70.1", out var asnOnly));
        Assert.Equal(24, asnOnly);
        var facts = tree.LookupFacts(Address("81.2.69.130"));
        Assert.Equal(("GB", 20712u), (facts.Country, facts.Asn));
    }

    [Fact]
    public void NearestByDistance_UsesCoordinates()
    {
        using var dir = new TempDirectory();
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Write(dir.File("c.mmdb"), "Test-City",
            ("192.0.2.0/24", City("US", "NA", 37.75, -97.82)),
            ("198.51.100.0/24", City("DE", "EU", 51.3, 9.5)),
            ("203.0.113.0/24", City("SG", "AS", 1.35, 103.8))))]);
        (double Lat, double Lon)[] regions = [(39.0, -77.5), (50.1, 8.7), (35.7, 139.7)];

        var tree = GeoTree.Compile(set, NoSplits, (facts, _) => !facts.HasLocation ? Unknown
            : Enumerable.Range(0, regions.Length).MinBy(i => Squared(facts.Latitude!.Value - regions[i].Lat) + Squared(facts.Longitude!.Value - regions[i].Lon)));

        Assert.Equal(0, Lookup(tree, "192.0.2.1", out _));
        Assert.Equal(1, Lookup(tree, "198.51.100.1", out _));
        Assert.Equal(2, Lookup(tree, "203.0.113.1", out _));
    }

    private static double Squared(double x) => x * x;

    [Fact]
    public void SampleDatabase_TreeAgreesWithReaderEverywhere()
    {
        using var set = new GeoDatabaseSet([GeoDatabase.Open(Path.Combine(GeoTestData.RepositoryRoot, "geoip", "GslbDns-Sample-City.mmdb"))]);
        CheckAgreement(set);
    }

    [MaxMindDataFact]
    public void MaxMindTestDatabases_TreeAgreesWithReaderEverywhere()
    {
        using var set = new GeoDatabaseSet([
            GeoDatabase.Open(GeoTestData.MaxMind("GeoIP2-City-Test.mmdb")),
            GeoDatabase.Open(GeoTestData.MaxMind("GeoLite2-ASN-Test.mmdb")),
        ]);
        var tree = CheckAgreement(set);

        Assert.Equal("GB/EU", Describe(tree, "81.2.69.160"));
        Assert.Equal("US/NA", Describe(tree, "216.160.83.56"));
        Assert.Equal("KR/AS", Describe(tree, "2001:220::1"));
        Assert.Equal("CN/AS", Describe(tree, "175.16.199.1"));
        Assert.Equal(1221u, tree.LookupFacts(Address("1.128.0.1")).Asn);
    }

    private static string Describe(GeoTree tree, string address)
    {
        var facts = tree.LookupFacts(Address(address));
        return $"{facts.Country}/{facts.Continent}";
    }

    /// <summary>
    /// Classifies by every fact, so each distinct fact set is its own outcome, and checks the tree against
    /// direct reader look-ups at the start, end and middle of each database network, at the ends of each
    /// IPv4 network as reached through the file's aliases, and at random addresses; also that each
    /// answer holds across its whole scope.
    /// </summary>
    private static GeoTree CheckAgreement(GeoDatabaseSet set)
    {
        var outcomes = new Dictionary<string, int>();
        int Outcome(GeoFacts facts)
        {
            var key = (facts with { MatchedNetwork = null }).ToString();
            if (!outcomes.TryGetValue(key, out var outcome))
            {
                outcomes[key] = outcome = outcomes.Count;
            }
            return outcome;
        }
        var tree = GeoTree.Compile(set, NoSplits, (facts, _) => Outcome(facts));
        var probes = new List<UInt128>();
        foreach (var database in set.Databases)
        {
            database.Enumerate((network, _, _) =>
            {
                var last = network.Bits | ~IpPrefix.Mask(network.Length);
                probes.Add(network.Bits);
                probes.Add(last);
                probes.Add(network.Bits + ((last - network.Bits) / 2));
                if (network.IsIPv4)
                {
                    // The same IPv4 network as the file's aliases (6to4, Teredo, ::/96) reach it.
                    foreach (var alias in database.Ipv4Aliases)
                    {
                        var shift = 96 - alias.Length;
                        probes.Add(alias.Bits | ((UInt128)(uint)network.Bits << shift));
                        probes.Add(alias.Bits | ((UInt128)(uint)last << shift) | ((UInt128.One << shift) - 1));
                    }
                }
            });
        }
        var random = new Random(12345);
        for (var i = 0; i < 2000; i++)
        {
            probes.Add(IpPrefix.MappedPrefix | (uint)random.NextInt64(0, 1L << 32));
            probes.Add(((UInt128)(ulong)random.NextInt64() << 64) | (ulong)random.NextInt64());
        }
        foreach (var bits in probes)
        {
            var address = (bits >> 32) == 0xffff ? new ClientAddress(bits, true) : new ClientAddress(bits, false);
            var expected = Outcome(set.Lookup(address));
            Assert.True(expected == tree.Lookup(address, out var scope), $"{address}: tree disagrees with {set.Lookup(address)}");
            var length = address.IsIPv4 ? scope + 96 : scope;
            var first = bits & IpPrefix.Mask(length);
            var last = first | ~IpPrefix.Mask(length);
            foreach (var edge in new[] { first, last })
            {
                var other = (edge >> 32) == 0xffff ? new ClientAddress(edge, true) : new ClientAddress(edge, false);
                Assert.True(expected == Outcome(set.Lookup(other)), $"{address}: scope /{scope} claims {other} answers the same");
            }
        }
        return tree;
    }
}
