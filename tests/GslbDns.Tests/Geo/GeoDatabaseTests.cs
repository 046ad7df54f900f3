using GslbDns.Steering.Geo;
using static GslbDns.Tests.Geo.GeoFixtures;

namespace GslbDns.Tests.Geo;

public sealed class GeoDatabaseTests
{
    [Fact]
    public void City_FactsFromGeoIP2Schema()
    {
        using var dir = new TempDirectory();
        using var db = GeoDatabase.Open(Write(dir.File("city.mmdb"), "Test-City",
            ("81.2.69.160/27", City("GB", "EU", 51.5142, -0.0931, "ENG", "WBK")),
            ("2001:db8::/32", City("US", "NA", 37.751, -97.822))));

        var gb = db.Lookup(Address("81.2.69.170"));

        Assert.Equal(GeoDatabaseKind.City, db.Kind);
        Assert.Equal(2, db.NetworkCount);
        Assert.Equal("GB", gb.Country);
        Assert.Equal("EU", gb.Continent);
        Assert.Equal(["GB-ENG", "GB-WBK"], gb.Subdivisions);
        Assert.Equal(51.5142, gb.Latitude);
        Assert.Equal(-0.0931, gb.Longitude);
        Assert.Equal("81.2.69.160/27", gb.MatchedNetwork.ToString());
        var us = db.Lookup(Address("2001:db8::1"));
        Assert.Equal("US", us.Country);
        Assert.Equal("2001:db8::/32", us.MatchedNetwork.ToString());
        Assert.True(db.Lookup(Address("8.8.8.8")).IsUnknown);
    }

    [Fact]
    public void Country_RegisteredCountryFallbackAndDerivedContinent()
    {
        using var dir = new TempDirectory();
        var registered = MmdbMap.Of(("registered_country", MmdbMap.Of(("iso_code", new MmdbString("SE")))));
        using var db = GeoDatabase.Open(Write(dir.File("country.mmdb"), "Test-Country", ("192.0.2.0/24", registered)));

        var facts = db.Lookup(Address("192.0.2.1"));

        Assert.Equal(GeoDatabaseKind.Country, db.Kind);
        Assert.Equal("SE", facts.Country);
        Assert.Equal("EU", facts.Continent);
        Assert.Null(facts.Latitude);
    }

    [Fact]
    public void Asn_FactsFromAsnSchema()
    {
        using var dir = new TempDirectory();
        using var db = GeoDatabase.Open(Write(dir.File("asn.mmdb"), "Test-ASN", ("1.128.0.0/11", Asn(1221, "Telstra Pty Ltd"))));

        var facts = db.Lookup(Address("1.130.0.1"));

        Assert.Equal(GeoDatabaseKind.Asn, db.Kind);
        Assert.Equal(1221u, facts.Asn);
        Assert.Equal("Telstra Pty Ltd", facts.AsnOrganization);
        Assert.Null(facts.Country);
    }

    [Fact]
    public void Flat_FloatCoordinatesAndContinentFromCountry()
    {
        using var dir = new TempDirectory();
        var flat = MmdbMap.Of(("country_code", new MmdbString("jp")), ("latitude", new MmdbFloat(35.5f)), ("longitude", new MmdbFloat(139.75f)));
        var withContinent = MmdbMap.Of(("country_code", new MmdbString("DE")), ("continent_code", new MmdbString("EU")),
            ("latitude", new MmdbDouble(51.3)), ("longitude", new MmdbDouble(9.5)));
        using var db = GeoDatabase.Open(Write(dir.File("flat.mmdb"), "ipinfo country", ("203.0.113.0/24", flat), ("198.51.100.0/24", withContinent)));

        var jp = db.Lookup(Address("203.0.113.5"));
        var de = db.Lookup(Address("::ffff:198.51.100.5"));

        Assert.Equal(GeoDatabaseKind.Flat, db.Kind);
        Assert.Equal("JP", jp.Country);
        Assert.Equal("AS", jp.Continent);
        Assert.Equal(35.5, jp.Latitude);
        Assert.Equal(139.75, jp.Longitude);
        Assert.Equal("EU", de.Continent);
        Assert.Equal(51.3, de.Latitude);
    }

    [Fact]
    public void Set_MergesCityAndAsnAndHidesReserved()
    {
        using var dir = new TempDirectory();
        var city = GeoDatabase.Open(Write(dir.File("city.mmdb"), "Test-City",
            ("81.2.69.0/24", City("GB", "EU", 51.5, -0.1)), ("10.0.0.0/8", City("US", "NA", 1, 1))));
        var asn = GeoDatabase.Open(Write(dir.File("asn.mmdb"), "Test-ASN", ("81.2.64.0/20", Asn(20712, "Andrews & Arnold Ltd"))));
        using var set = new GeoDatabaseSet([city, asn]);

        var facts = set.Lookup(Address("81.2.69.1"));

        Assert.Equal("GB", facts.Country);
        Assert.Equal(20712u, facts.Asn);
        Assert.Equal("81.2.69.0/24", facts.MatchedNetwork.ToString());
        Assert.True(set.Lookup(Address("10.1.2.3")).IsUnknown);
        Assert.True(set.Lookup(Address("81.2.70.1")).Country is null);
        Assert.Equal(20712u, set.Lookup(Address("81.2.70.1")).Asn);
    }

    [Theory]
    [InlineData("empty.mmdb", "")]
    [InlineData("text.mmdb", "this is not a database at all")]
    public void Garbage_RejectedAtOpen(string name, string content)
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabase.Open(dir.File(name, content)));

        Assert.Contains(name, e.Message);
        Assert.Contains("metadata", e.Message);
    }

    [Fact]
    public void Truncated_RejectedAtOpen()
    {
        using var dir = new TempDirectory();
        var path = Write(dir.File("whole.mmdb"), "Test-City", ("81.2.69.0/24", City("GB", "EU", 51.5, -0.1)), ("2001:db8::/32", Country("US")));
        var bytes = File.ReadAllBytes(path);
        // Drop the middle of the file: the metadata survives, the tree and data do not fit any more.
        var cut = dir.File("cut.mmdb");
        File.WriteAllBytes(cut, [.. bytes.AsSpan(0, 20), .. bytes.AsSpan(bytes.Length - 300)]);

        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabase.Open(cut));

        Assert.Contains("cut.mmdb", e.Message);
    }

    [Fact]
    public void MissingFile_NamesFile()
    {
        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabase.Open("/nonexistent/x.mmdb"));

        Assert.Contains("/nonexistent/x.mmdb", e.Message);
    }

    [Theory]
    [InlineData("GeoIP2-City-Test-Broken-Double-Format.mmdb")]
    [InlineData("GeoIP2-City-Test-Invalid-Node-Count.mmdb")]
    [InlineData("MaxMind-DB-test-broken-pointers-24.mmdb")]
    [InlineData("MaxMind-DB-test-broken-search-tree-24.mmdb")]
    public void MaxMindBrokenFiles_RejectedAtOpen(string file)
    {
        if (!GeoTestData.HasMaxMind)
        {
            return; // covered by Truncated_RejectedAtOpen and Garbage_RejectedAtOpen without the shared data
        }

        var e = Assert.Throws<GeoDatabaseException>(() => GeoDatabase.Open(GeoTestData.MaxMind(file)));

        Assert.Contains(file, e.Message);
    }

    [MaxMindDataFact]
    public void MaxMindCityTest_KnownAddresses()
    {
        using var db = GeoDatabase.Open(GeoTestData.MaxMind("GeoIP2-City-Test.mmdb"));

        Assert.Equal(GeoDatabaseKind.City, db.Kind);
        var gb = db.Lookup(Address("81.2.69.160"));
        Assert.Equal(("GB", "EU"), (gb.Country, gb.Continent));
        Assert.Equal(["GB-ENG"], gb.Subdivisions);
        Assert.Equal("US", db.Lookup(Address("216.160.83.56")).Country);
        Assert.Equal(["US-WA"], db.Lookup(Address("216.160.83.56")).Subdivisions);
        Assert.Equal("KR", db.Lookup(Address("2001:220::1")).Country);
        Assert.Equal(("CN", "AS"), (db.Lookup(Address("175.16.199.1")).Country, db.Lookup(Address("175.16.199.1")).Continent));
    }

    [MaxMindDataFact]
    public void MaxMindAsnAndCountryTest_KnownAddresses()
    {
        using var asn = GeoDatabase.Open(GeoTestData.MaxMind("GeoLite2-ASN-Test.mmdb"));
        using var country = GeoDatabase.Open(GeoTestData.MaxMind("GeoIP2-Country-Test.mmdb"));

        Assert.Equal(GeoDatabaseKind.Asn, asn.Kind);
        Assert.Equal(GeoDatabaseKind.Country, country.Kind);
        var telstra = asn.Lookup(Address("1.128.0.1"));
        Assert.Equal(1221u, telstra.Asn);
        Assert.Equal("Telstra Pty Ltd", telstra.AsnOrganization);
        Assert.Equal("1.128.0.0/11", telstra.MatchedNetwork.ToString());
        Assert.Equal("GB", country.Lookup(Address("81.2.69.160")).Country);
    }
}
