using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using static GslbDns.Tests.Zones.ZoneWire;

namespace GslbDns.Tests.Zones;

public class MasterFileReaderGoodZoneTests
{
    private static readonly string Root = ZoneFixtures.Folder("good");

    private static ZoneReadResult ReadExample() =>
        MasterFileReader.Read(Path.Combine(Root, "example.com.zone"), Root, DnsName.Parse("example.com."));

    [Fact]
    public void ExampleZone_ReadsWithoutProblems()
    {
        var result = ReadExample();

        Assert.Empty(result.Problems);
        Assert.Equal(DnsName.Parse("example.com."), result.Origin);
    }

    [Fact]
    public void ExampleZone_DecodesEveryRecordToExactWireRdata()
    {
        var expected = new (string Owner, RecordType Type, uint Ttl, byte[] Data, string File, int Line)[]
        {
            ("example.com.", RecordType.SOA, 3600, Cat(Name("ns1.example.com."), Name("Hostmaster.example.com."),
                U32(2026112701), U32(2 * 3600), U32(30 * 60), U32(2 * 604800), U32(300)), "example.com.zone", 3),
            ("example.com.", RecordType.NS, 3600, Name("ns1.example.com."), "example.com.zone", 9),
            ("example.com.", RecordType.NS, 3600, Name("ns2.example.com."), "example.com.zone", 10),
            ("example.com.", RecordType.MX, 3600, Cat(U16(10), Name("mail.example.com.")), "example.com.zone", 11),
            ("example.com.", RecordType.MX, 3600, Cat(U16(20), Name("example.com.")), "example.com.zone", 12),
            ("example.com.", RecordType.TXT, 3600, Str("v=spf1 mx -all"), "example.com.zone", 13),
            ("example.com.", RecordType.CAA, 3600, Cat(U8(0), Str("issue"), "letsencrypt.org"u8.ToArray()), "example.com.zone", 14),
            ("ns1.example.com.", RecordType.A, 3600, Hex("C0000201"), "example.com.zone", 15),
            ("ns2.example.com.", RecordType.AAAA, 5400, Hex("20010DB8000000000000000000000053"), "example.com.zone", 16),
            ("mail.example.com.", RecordType.A, 300, Hex("C0000219"), "example.com.zone", 17),
            ("www.example.com.", RecordType.CNAME, 1, Name("Web.Example.COM."), "example.com.zone", 18),
            ("web.example.com.", RecordType.A, 3600, Hex("C0000250"), "example.com.zone", 19),
            ("web.example.com.", RecordType.AAAA, 3600, Hex("20010DB8000000000000000000000080"), "example.com.zone", 20),
            ("txt.example.com.", RecordType.TXT, 3600,
                Cat(Str("quote \" backslash \\ octet \u00ff semicolon ; inside"), Str("unquoted word")), "example.com.zone", 21),
            ("txt.example.com.", RecordType.TXT, 3600, Cat(Str("first"), Str("second")), "example.com.zone", 22),
            ("_sip._tcp.example.com.", RecordType.SRV, 3600, Cat(U16(10), U16(60), U16(5060), Name("sip.example.com.")), "example.com.zone", 24),
            ("sip.example.com.", RecordType.A, 3600, Hex("C0000205"), "example.com.zone", 25),
            ("naptr.example.com.", RecordType.NAPTR, 3600,
                Cat(U16(100), U16(10), Str("S"), Str("SIP+D2U"), Str(""), Name("_sip._udp.example.com.")), "example.com.zone", 26),
            ("1.example.com.", RecordType.PTR, 3600, Name("host.example.com."), "example.com.zone", 27),
            ("zero.example.com.", RecordType.TXT, 0, Str("never cached"), "example.com.zone", 28),
            ("sub.example.com.", RecordType.NS, 3600, Name("ns.sub.example.com."), "example.com.zone", 30),
            ("sub.example.com.", RecordType.DS, 3600,
                Cat(U16(12345), U8(13), U8(2), Hex("2bb183af5f22588179a53b0a98631fad1a2921188f1b3b0d7c1d2e3f4a5b6c7d")), "example.com.zone", 31),
            ("ns.sub.example.com.", RecordType.A, 3600, Hex("C0000235"), "example.com.zone", 33),
            ("generic.example.com.", (RecordType)65534, 3600, Hex("0A000001"), "example.com.zone", 35),
            ("empty.example.com.", (RecordType)65280, 3600, [], "example.com.zone", 36),
            ("typed.example.com.", RecordType.A, 3600, Hex("C0000202"), "example.com.zone", 37),
            ("hosts.example.com.", RecordType.A, 3600, Hex("C000020A"), "inc/hosts.inc", 2),
            ("db.hosts.example.com.", RecordType.A, 2 * 86400, Hex("C000020B"), "inc/hosts.inc", 3),
            ("db.hosts.example.com.", RecordType.A, 3600, Hex("C000020C"), "inc/hosts.inc", 4),
            ("after.example.com.", RecordType.A, 3600, Hex("C0000263"), "example.com.zone", 39),
        };

        var records = ReadExample().Records;

        Assert.Equal(expected.Length, records.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var (owner, type, ttl, data, file, line) = expected[i];
            var record = records[i];
            Assert.Equal(DnsName.Parse(owner), record.Owner);
            Assert.Equal(type, record.Type);
            Assert.Equal(ttl, record.Ttl);
            Assert.Equal(Convert.ToHexString(data), Convert.ToHexString(record.Data.Span));
            Assert.Equal(new SourceLocation(file, line), record.Source);
        }
    }

    [Fact]
    public void FolderRead_ExampleZonesAreValidAndNormalised()
    {
        var results = ZoneFolderReader.ReadFolder(Root);

        Assert.Equal(["example.com.", "example.net."], results.Select(r => r.Origin!.ToString()));
        Assert.All(results, r => Assert.True(r.IsValid, string.Join("\n", r.Problems)));
        // The included RRset db.hosts A was written with 2D and then 1h; RFC 2181 §5.2 wants one TTL,
        // and like BIND the first one wins.
        var db = results[0].Records.Where(r => r.Owner == DnsName.Parse("db.hosts.example.com.")).ToList();
        Assert.Equal([172800u, 172800u], db.Select(r => r.Ttl));
    }

    [Fact]
    public void FolderRead_LeadingOriginOverridesTheFileName()
    {
        string folder = ZoneFixtures.Folder("duplicate");

        var result = ZoneFolderReader.ReadFile(Path.Combine(folder, "a.zone"), folder);

        Assert.Empty(result.Problems);
        Assert.Equal(DnsName.Parse("dup.test."), result.Origin);
        Assert.All(result.Records, r => Assert.Equal(DnsName.Parse("dup.test."), r.Owner));
    }
}
