using GslbDns.Protocol;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

public class MasterFileErrorTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private static string[] Problems(string text) =>
        MasterFileReader.ReadText(text, "example.com.zone", Origin).Problems.Select(p => p.ToString()).ToArray();

    [Fact]
    public void BadFile_ReportsEveryProblemInFileOrder()
    {
        string root = ZoneFixtures.Folder("bad");

        var result = MasterFileReader.Read(Path.Combine(root, "example.org.zone"), root, DnsName.Parse("example.org."));

        Assert.Equal(
        [
            "example.org.zone:5: bad TTL '1x': unknown unit 'x' (use s, m, h, d or w)",
            "example.org.zone:6: AAAA '2001:db8::zz' is not an IPv6 address",
            "example.org.zone:7: A '10.1' is not an IPv4 address",
            "example.org.zone:8: unknown record type 'FOO'",
            "example.org.zone:9: MX: bad preference '70000': expected a number from 0 to 65535",
            "example.org.zone:10: TYPE65534: generic RDATA length 4 does not match the 3 octets of hex data",
            "example.org.zone:11: class 'CH' is not supported; only IN zones are served",
            "example.org.zone:12: owner 'out.example.net.' is outside the zone 'example.org.'",
            "example.org.zone:13: quoted string is not closed before the end of the line",
            "example.org.zone:14: bad TTL '2147483648': 2147483648 is over the maximum 2147483647 (RFC 2181 §8)",
            "example.org.zone:15: SRV: missing target name",
            "example.org.zone:16: DS: digest of 2 octets does not fit digest type 2 (32 octets)",
            "example.org.zone:17: unknown directive '$FOO'",
            "example.org.zone:18: TXT: text string of 256 octets is longer than 255 (RFC 1035 §3.3)",
            "example.org.zone:19: '(' is never closed: the entry runs to the end of the file (further checks skipped)",
        ], result.Problems.Select(p => p.ToString()));
        // The good lines around the bad ones are still read.
        Assert.Equal([RecordType.SOA, RecordType.NS, RecordType.A], result.Records.Select(r => r.Type));
    }

    [Theory]
    [InlineData("www 1x A 192.0.2.1", "bad TTL '1x': unknown unit 'x' (use s, m, h, d or w)")]
    [InlineData("www 1h30 A 192.0.2.1", "bad TTL '1h30': '30' has no unit (use s, m, h, d or w)")]
    [InlineData("www 99999999999 A 192.0.2.1", "bad TTL '99999999999': number too large")]
    [InlineData("www 4294967295 A 192.0.2.1", "bad TTL '4294967295': 4294967295 is over the maximum 2147483647 (RFC 2181 §8)")]
    [InlineData("$TTL 1y", "$TTL: bad TTL '1y': unknown unit 'y' (use s, m, h, d or w)")]
    [InlineData("$TTL", "expected '$TTL <ttl>', found 0 arguments")]
    [InlineData("$ORIGIN a. b.", "expected '$ORIGIN <name>', found 2 arguments")]
    [InlineData("$GENERATE 1-4 h$ A 192.0.2.$", "$GENERATE is not supported; write the records out")]
    [InlineData("  $TTL 300", "directive '$TTL' must start in column 0")]
    [InlineData("www AAAA 2001:db8::zz", "AAAA '2001:db8::zz' is not an IPv6 address")]
    [InlineData("www AAAA 192.0.2.1", "AAAA '192.0.2.1' is not an IPv6 address")]
    [InlineData("www AAAA fe80::1%eth0", "AAAA 'fe80::1%eth0' is not an IPv6 address")]
    [InlineData("www A 192.0.2", "A '192.0.2' is not an IPv4 address")]
    [InlineData("www A 192.0.2.1 extra", "A: unexpected 'extra' after the last field")]
    [InlineData("www A", "A: missing IPv4 address")]
    [InlineData("www", "missing record type")]
    [InlineData("www 300 IN 600 A 192.0.2.1", "unknown record type '600' (a second TTL?)")]
    [InlineData("www BOGUS x", "unknown record type 'BOGUS'")]
    [InlineData("www HS A 192.0.2.1", "class 'HS' is not supported; only IN zones are served")]
    [InlineData("www CLASS3 A 192.0.2.1", "class 'CLASS3' is not supported; only IN zones are served")]
    [InlineData("www ANY A 192.0.2.1", "type ANY cannot appear in zone data (RFC 6895 §3.1)")]
    [InlineData("www AXFR x", "type AXFR cannot appear in zone data (RFC 6895 §3.1)")]
    [InlineData("www CNAME \"quoted\"", "CNAME: target name must be a name, not a quoted string")]
    [InlineData("www CNAME a..b", "CNAME: bad target name 'a..b': empty label in name 'a..b'")]
    [InlineData("www NS a\\300", "NS: bad target name 'a\\300': escape \\300 is over 255 in name 'a\\300'")]
    [InlineData("www.example.net. A 192.0.2.1", "owner 'www.example.net.' is outside the zone 'example.com.'")]
    [InlineData("\"www\" A 192.0.2.1", "owner name must not be quoted")]
    [InlineData("www SRV 1 2 70000 x", "SRV: bad port '70000': expected a number from 0 to 65535")]
    [InlineData("www CAA 0 is-sue \"x\"", "CAA: bad tag 'is-sue': expected 1 to 255 ASCII letters and digits (RFC 8659 §4.1)")]
    [InlineData("www CAA 256 issue \"x\"", "CAA: bad flags '256': expected a number from 0 to 255")]
    [InlineData("www DS 1 13 2 zz", "DS: bad digest: 'z' is not a hex digit")]
    [InlineData("www DS 1 13 2 abc", "DS: bad digest: hex data has an odd number of digits (3)")]
    [InlineData("www TYPE65534 \\# 2 0a", "TYPE65534: generic RDATA length 2 does not match the 1 octets of hex data")]
    [InlineData("www TYPE65534 \\# x", "TYPE65534: bad generic RDATA length 'x': expected a number from 0 to 65535")]
    [InlineData("www A \\# 3 0a0000", "A: generic RDATA is not valid for this type: A RDATA must be 4 octets, not 3")]
    [InlineData("www TYPE65534 0a", "TYPE65534: no text form is supported for this type; write the RDATA in the generic form '\\# <length> <hex>' (RFC 3597 §5)")]
    [InlineData("www TXT \"a\\", "quoted string is not closed before the end of the line")]
    [InlineData("www TXT \"\\999\"", "TXT: bad text string: escape \\999 is over 255 in '\\999'")]
    [InlineData("www A 192.0.2.1 )", "')' without a matching '('")]
    public void BadLine_GivesAPreciseMessage(string line, string message)
    {
        Assert.Equal([$"example.com.zone:2: {message}"], Problems("$TTL 300\n" + line + "\n"));
    }

    [Fact]
    public void ProblemsOnContinuationLines_NameTheLineOfTheBadField()
    {
        Assert.Equal(["example.com.zone:4: SOA: bad retry '1x': unknown unit 'x' (use s, m, h, d or w)"],
            Problems("$TTL 300\n@ SOA ns1 hostmaster (\n 1 2\n 1x 4 5 )\n"));
    }

    [Fact]
    public void MissingOrigin_IsReportedOnce()
    {
        var result = MasterFileReader.ReadText("$TTL 300\nwww.example.com. A 192.0.2.1\nother.example.com. A 192.0.2.2\n", "x.zone", null);

        Assert.Equal(["x.zone:2: zone origin unknown: no origin was given and no $ORIGIN precedes the first record"],
            result.Problems.Select(p => p.ToString()));
        Assert.Null(result.Origin);
    }
}
