using GslbDns.Commands;
using GslbDns.Protocol;
using System.Net;
using GslbDns.Steering.Geo;
using MaxMind.Db;

namespace GslbDns.Tests.Geo;

public sealed class GeoIpBuildCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = GeoIpBuildCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static Dictionary<string, object>? Find(string mmdb, string address, out int prefixLength)
    {
        using var reader = new Reader(mmdb, FileAccessMode.MemoryMapped);
        return reader.Find<Dictionary<string, object>>(IPAddress.Parse(address), out prefixLength);
    }

    private static object Path(Dictionary<string, object> record, params object[] path)
    {
        object current = record;
        foreach (var step in path)
        {
            current = step is int i ? ((System.Collections.IList)current)[i]! : ((Dictionary<string, object>)current)[(string)step];
        }
        return current;
    }

    [Fact]
    public void Json_NetworkDataShape_BuildsCityDatabase()
    {
        using var dir = new TempDirectory();
        var source = dir.File("src.json", """
            [
              { "network": "81.2.69.160/27", "data": { "country": { "iso_code": "GB" }, "continent": { "code": "EU" },
                "subdivisions": [ { "iso_code": "ENG" } ], "location": { "latitude": 51, "longitude": -0.1 } } },
              { "network": "2001:db8::/32", "data": { "country": { "iso_code": "US" } } },
              { "network": "203.0.113.0/24", "data": { "country": { "iso_code": "US" } } }
            ]
            """);
        var output = dir.File("out.mmdb");

        var (code, stdout, stderr) = Run(source, output);

        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains($"wrote 3 networks, 2 data records to {output}", stdout);
        var record = Find(output, "81.2.69.170", out var prefix)!;
        Assert.Equal(27, prefix);
        Assert.Equal("GB", Path(record, "country", "iso_code"));
        Assert.Equal("ENG", Path(record, "subdivisions", 0, "iso_code"));
        Assert.Equal(51.0, Path(record, "location", "latitude"));
        Assert.Equal("US", Path(Find(output, "2001:db8::5", out _)!, "country", "iso_code"));
        using var reader = new Reader(output);
        Assert.Equal("GslbDns-City", reader.Metadata.DatabaseType);
    }

    [Fact]
    public void Json_MaxMindTestDataShape_IsAccepted()
    {
        using var dir = new TempDirectory();
        var source = dir.File("src.json", """
            [
              { "216.160.83.56/29": { "country": { "iso_code": "US" }, "location": { "latitude": 47.25, "longitude": -122.31 } } },
              { "::214.0.0.0/120": { "country": { "iso_code": "US" } } }
            ]
            """);
        var output = dir.File("out.mmdb");

        var (code, _, stderr) = Run(source, output);

        Assert.True(code == 0, stderr);
        Assert.Equal(47.25, Path(Find(output, "216.160.83.57", out var prefix)!, "location", "latitude"));
        Assert.Equal(29, prefix);
        Assert.Equal("US", Path(Find(output, "214.0.0.9", out _)!, "country", "iso_code"));
    }

    [Fact]
    public void Json_BadElements_AllReportedWithLines()
    {
        using var dir = new TempDirectory();
        var source = dir.File("bad.json", """
            [
              { "network": "81.2.69.161/27", "data": { } },
              { "network": "300.1.1.0/24", "data": { } },
              { "network": "10.0.0.0/8", "data": { "location": { "latitude": 95, "longitude": 0 } } },
              { "network": "10.0.0.0/8", "data": { } },
              { "a/1": 1, "b": 2 },
              { "network": "11.0.0.0/8", "data": { "country": { "iso_code": "gbr" } } }
            ]
            """);
        var output = dir.File("out.mmdb");

        var (code, _, stderr) = Run(source, output);

        Assert.Equal(1, code);
        Assert.False(File.Exists(output));
        Assert.Contains($"{source}:2: element 0: '81.2.69.161/27' has host bits set", stderr);
        Assert.Contains($"{source}:3: element 1: '300.1.1.0' is not an IP address", stderr);
        Assert.Contains($"{source}:4: element 2 (10.0.0.0/8): location.latitude must be a number from -90 to 90", stderr);
        Assert.Contains($"{source}:6: element 4: expected", stderr);
        Assert.Contains($"{source}:7: element 5 (11.0.0.0/8): country.iso_code must be two upper-case letters", stderr);
        Assert.Contains("5 error(s)", stderr);
    }

    [Fact]
    public void Json_DuplicateWithDifferentData_NamesBothLines()
    {
        using var dir = new TempDirectory();
        var source = dir.File("dup.json", "[\n{ \"10.0.0.0/8\": { \"a\": 1 } },\n{ \"::10.0.0.0/104\": { \"a\": 2 } },\n{ \"11.0.0.0/8\": {} },\n{ \"11.0.0.0/8\": {} }\n]");

        var (code, _, stderr) = Run(source, dir.File("out.mmdb"));

        Assert.Equal(1, code);
        Assert.Contains($"{source}:3: network 10.0.0.0/8 is already defined with different data at {source}:2", stderr);
        Assert.Contains("1 error(s)", stderr);
    }

    [MaxMindDataFact]
    public void Json_MaxMindCityTestSource_BuildsDatabaseThatAgreesWithTheirs()
    {
        using var dir = new TempDirectory();
        var output = dir.File("city.mmdb");

        var (code, _, stderr) = Run(GeoTestData.MaxMind("GeoIP2-City-Test.json"), output);

        Assert.True(code == 0, stderr);
        using var ours = new Reader(output);
        using var theirs = new Reader(GeoTestData.MaxMind("GeoIP2-City-Test.mmdb"));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(GeoTestData.MaxMind("GeoIP2-City-Test.json")));
        var checkedNetworks = 0;
        foreach (var element in json.RootElement.EnumerateArray())
        {
            var network = IpPrefix.Parse(element.EnumerateObject().Single().Name);
            var address = new GslbDns.Pipeline.ClientAddress(network.Bits, network.IsIPv4).ToIPAddress();
            var a = ours.Find<Dictionary<string, object>>(address, out var ourPrefix);
            var b = theirs.Find<Dictionary<string, object>>(address, out var theirPrefix);
            Assert.Equal(theirPrefix, ourPrefix);
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(b), System.Text.Json.JsonSerializer.Serialize(a));
            checkedNetworks++;
        }
        Assert.True(checkedNetworks > 200);
    }

    [Fact]
    public void Json_Syntax_ErrorNamesLine()
    {
        using var dir = new TempDirectory();
        var source = dir.File("syntax.json", "[\n{ \"10.0.0.0/8\": {} },\n{ \"11.0.0.0/8\": { ]\n]");

        var (code, _, stderr) = Run(source, dir.File("out.mmdb"));

        Assert.Equal(1, code);
        Assert.Contains($"{source}:3: invalid JSON", stderr);
    }

    [Fact]
    public void Csv_MapsColumnsIntoCitySchema()
    {
        using var dir = new TempDirectory();
        var source = dir.File("src.csv", """
            network,country_code,subdivision_code,latitude,longitude,asn,asn_org
            # comment line
            81.2.69.160/27,GB,GB-ENG,51.5,-0.12,AS20712,"Andrews & Arnold, Ltd"

            2001:220::/32,kr,,,,,
            """);
        var output = dir.File("out.mmdb");

        var (code, stdout, stderr) = Run(source, output);

        Assert.True(code == 0, stderr);
        Assert.Contains("wrote 2 networks, 2 data records", stdout);
        var gb = Find(output, "81.2.69.160", out _)!;
        Assert.Equal("GB", Path(gb, "country", "iso_code"));
        Assert.Equal("EU", Path(gb, "continent", "code"));
        Assert.Equal("ENG", Path(gb, "subdivisions", 0, "iso_code"));
        Assert.Equal(51.5, Path(gb, "location", "latitude"));
        Assert.Equal(-0.12, Path(gb, "location", "longitude"));
        Assert.Equal(20712L, Convert.ToInt64(Path(gb, "autonomous_system_number")));
        Assert.Equal("Andrews & Arnold, Ltd", Path(gb, "autonomous_system_organization"));
        var kr = Find(output, "2001:220::1", out var prefix)!;
        Assert.Equal(32, prefix);
        Assert.Equal("KR", Path(kr, "country", "iso_code"));
        Assert.Equal("AS", Path(kr, "continent", "code"));
        Assert.False(kr.ContainsKey("location"));
    }

    [Fact]
    public void Csv_BadRows_AllReportedWithLines()
    {
        using var dir = new TempDirectory();
        var source = dir.File("bad.csv", """
            network,country_code,continent_code,latitude,longitude,asn
            10.0.0.0/33,US,NA,1,2,3
            10.0.0.0/8,USA,XX,,2,AS-7
            11.0.0.0/8,US,NA,1,2
            12.0.0.0/8,US,NA,91,200,"7
            """);

        var (code, _, stderr) = Run(source, dir.File("out.mmdb"));

        Assert.Equal(1, code);
        Assert.Contains($"{source}:2: network: '10.0.0.0/33' has a bad prefix length (0 to 32)", stderr);
        Assert.Contains($"{source}:3: country_code 'USA' is not a two-letter ISO 3166-1 code", stderr);
        Assert.Contains($"{source}:3: continent_code 'XX' is not one of", stderr);
        Assert.Contains($"{source}:3: latitude and longitude must be given together", stderr);
        Assert.Contains($"{source}:3: asn 'AS-7' is not an AS number", stderr);
        Assert.Contains($"{source}:4: expected 6 fields, found 5", stderr);
        Assert.Contains($"{source}:5: unterminated quoted field", stderr);
    }

    [Fact]
    public void Csv_UnknownHeaderColumn_IsReported()
    {
        using var dir = new TempDirectory();
        var source = dir.File("bad.csv", "network,city\n10.0.0.0/8,Paris\n");

        var (code, _, stderr) = Run(source, dir.File("out.mmdb"));

        Assert.Equal(1, code);
        Assert.Contains($"{source}:1: unknown column 'city'", stderr);
    }

    [Fact]
    public void WrongUsage_PrintsUsage()
    {
        var (code, _, stderr) = Run("only-one-argument");

        Assert.Equal(2, code);
        Assert.Contains("usage: gslbdns geoip build", stderr);
    }
}
