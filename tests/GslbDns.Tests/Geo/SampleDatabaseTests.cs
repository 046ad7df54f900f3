using GslbDns.Commands;
using System.Net;
using System.Text.Json;
using GslbDns.Steering.Geo;
using MaxMind.Db;
using MaxMind.GeoIP2;

namespace GslbDns.Tests.Geo;

public sealed class SampleDatabaseTests
{
    private static string SampleSource => Path.Combine(GeoTestData.RepositoryRoot, "geoip", "sample-city.json");

    private static string SampleDatabase => Path.Combine(GeoTestData.RepositoryRoot, "geoip", "GslbDns-Sample-City.mmdb");

    private static byte[] Marker => [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    [Fact]
    public void CommittedDatabase_EqualsFreshBuildExceptBuildEpoch()
    {
        using var dir = new TempDirectory();
        var fresh = dir.File("fresh.mmdb");
        var code = GeoIpBuildCommand.Run([SampleSource, fresh], TextWriter.Null, TextWriter.Null);
        Assert.Equal(0, code);

        var committed = File.ReadAllBytes(SampleDatabase);
        var built = File.ReadAllBytes(fresh);
        var committedAt = committed.AsSpan().LastIndexOf(Marker);
        var builtAt = built.AsSpan().LastIndexOf(Marker);
        Assert.True(committed.AsSpan(0, committedAt).SequenceEqual(built.AsSpan(0, builtAt)), "search tree or data section differ: rebuild geoip/GslbDns-Sample-City.mmdb (see geoip/README.md)");
        Assert.Equal(MetadataWithoutEpoch(committed, committedAt), MetadataWithoutEpoch(built, builtAt));
    }

    [Fact]
    public void Sample_ReadableByGeoIP2CityReader()
    {
        using var reader = new DatabaseReader(SampleDatabase);

        var gb = reader.City("81.2.69.160");
        Assert.Equal("GB", gb.Country.IsoCode);
        Assert.Equal("EU", gb.Continent.Code);
        Assert.Equal("ENG", gb.MostSpecificSubdivision.IsoCode);
        var jp = reader.City("203.0.113.9");
        Assert.Equal("JP", jp.Country.IsoCode);
        Assert.Equal(35.6897, jp.Location.Latitude);
    }

    [MaxMindDataFact]
    public void Sample_AgreesWithMaxMindTestDatabase()
    {
        using var ours = new Reader(SampleDatabase);
        using var theirs = new Reader(GeoTestData.MaxMind("GeoIP2-City-Test.mmdb"));
        foreach (var address in new[] { "81.2.69.160", "81.2.69.191", "2.2.3.1", "216.160.83.56", "175.16.199.1", "89.160.20.120", "2001:220::1" })
        {
            var ip = IPAddress.Parse(address);
            var a = ours.Find<Dictionary<string, object>>(ip, out var ourPrefix)!;
            var b = theirs.Find<Dictionary<string, object>>(ip, out var theirPrefix)!;
            Assert.Equal(theirPrefix, ourPrefix);
            foreach (var path in new[] { "country.iso_code", "continent.code", "location.latitude", "location.longitude" })
            {
                Assert.Equal(Get(b, path), Get(a, path));
            }
            Assert.Equal(Subdivisions(b), Subdivisions(a));
        }
    }

    private static object? Get(Dictionary<string, object> record, string path)
    {
        object? current = record;
        foreach (var key in path.Split('.'))
        {
            current = current is Dictionary<string, object> map && map.TryGetValue(key, out var next) ? next : null;
        }
        return current;
    }

    private static string Subdivisions(Dictionary<string, object> record) =>
        record.TryGetValue("subdivisions", out var list)
            ? string.Join(",", ((System.Collections.IEnumerable)list).Cast<Dictionary<string, object>>().Select(s => s["iso_code"]))
            : "";

    private static string MetadataWithoutEpoch(byte[] file, int markerAt)
    {
        var offset = 0;
        var map = (Dictionary<string, object>)MmdbDataDecoder.Decode(file.AsSpan(markerAt + Marker.Length), ref offset);
        map.Remove("build_epoch");
        return JsonSerializer.Serialize(map.OrderBy(e => e.Key));
    }
}
