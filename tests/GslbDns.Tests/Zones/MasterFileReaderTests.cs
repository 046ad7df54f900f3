using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using static GslbDns.Tests.Zones.ZoneWire;

namespace GslbDns.Tests.Zones;

/// <summary>Reading behaviour, including every case another master-file parser was seen to get wrong.</summary>
public class MasterFileReaderTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private const string Soa = "@ 3600 SOA ns1 hostmaster 1 7200 3600 604800 300\n";

    private static ZoneReadResult Read(string text) => MasterFileReader.ReadText(text, "example.com.zone", Origin);

    private static ZoneRecord Single(string text, RecordType type)
    {
        var result = Read(text);
        Assert.Empty(result.Problems);
        return Assert.Single(result.Records, r => r.Type == type);
    }

    private static string[] Problems(string text) => Read(text).Problems.Select(p => p.ToString()).ToArray();

    [Fact]
    public void NumericOwnerInColumnZero_IsTheOwnerNotATtl()
    {
        var ptr = Single("$TTL 300\n1 IN PTR host.\n", RecordType.PTR);

        Assert.Equal(DnsName.Parse("1.example.com."), ptr.Owner);
        Assert.Equal(300u, ptr.Ttl);
        Assert.Equal(Name("host."), ptr.Data);
    }

    [Fact]
    public void NumberAfterIndentation_IsATtlForThePreviousOwner()
    {
        var result = Read("$TTL 300\nwww A 192.0.2.1\n  1 IN PTR host.\n");

        Assert.Empty(result.Problems);
        var ptr = result.Records[1];
        Assert.Equal(DnsName.Parse("www.example.com."), ptr.Owner);
        Assert.Equal(1u, ptr.Ttl);
    }

    [Fact]
    public void NumberBeforeClassAndType_IsTheTtl()
    {
        var ptr = Single("$TTL 300\nwww 1 IN PTR x\n", RecordType.PTR);

        Assert.Equal(DnsName.Parse("www.example.com."), ptr.Owner);
        Assert.Equal(1u, ptr.Ttl);
        Assert.Equal(Name("x.example.com."), ptr.Data);
    }

    [Fact]
    public void AtSignInRdata_IsTheCurrentOrigin()
    {
        var result = Read("$TTL 300\nmx MX 10 @\n$ORIGIN sub.example.com.\ncn CNAME @\n");

        Assert.Empty(result.Problems);
        Assert.Equal(Cat(U16(10), Name("example.com.")), result.Records[0].Data);
        Assert.Equal(Name("sub.example.com."), result.Records[1].Data);
    }

    [Fact]
    public void UnclosedParenthesis_IsAnErrorAtTheLineWhereItOpened()
    {
        var result = Read("$TTL 300\n" + Soa + "www A 192.0.2.1\nmail MX ( 10\n  mail\nlast A 192.0.2.2\n");

        Assert.Equal(["example.com.zone:4: '(' is never closed: the entry runs to the end of the file (further checks skipped)"], result.Problems.Select(p => p.ToString()));
        Assert.Equal(2, result.Records.Count);
    }

    [Fact]
    public void TtlZero_IsKeptAsZero()
    {
        Assert.Equal(0u, Single("$TTL 300\nwww 0 A 192.0.2.1\n", RecordType.A).Ttl);
        Assert.Equal(0u, Single("$TTL 0\nwww A 192.0.2.1\n", RecordType.A).Ttl);
    }

    [Fact]
    public void ExplicitTtl_DoesNotReplaceDollarTtlForLaterRecords()
    {
        var result = Read("$TTL 300\na 60 A 192.0.2.1\nb A 192.0.2.2\n");

        Assert.Equal([60u, 300u], result.Records.Select(r => r.Ttl));
    }

    [Fact]
    public void WithoutDollarTtl_TheLastExplicitTtlApplies()
    {
        var result = Read("@ 900 SOA ns1 hostmaster 1 2 3 4 5\na 60 A 192.0.2.1\nb A 192.0.2.2\n");

        Assert.Empty(result.Problems);
        Assert.Equal([900u, 60u, 60u], result.Records.Select(r => r.Ttl));
    }

    [Fact]
    public void WithoutAnyTtl_TheSoaTakesItsMinimumAndLaterRecordsFollow()
    {
        var result = Read("@ SOA ns1 hostmaster 1 2 3 4 5m\nwww A 192.0.2.1\n");

        Assert.Empty(result.Problems);
        Assert.Equal([300u, 300u], result.Records.Select(r => r.Ttl));
    }

    [Fact]
    public void RecordWithNoTtlAndNothingToInherit_IsAnError()
    {
        Assert.Equal(["example.com.zone:1: no TTL: give the record a TTL or put a $TTL line before it"], Problems("www A 192.0.2.1\n"));
    }

    [Theory]
    [InlineData("1h", 3600u)]
    [InlineData("1h30m", 5400u)]
    [InlineData("2d", 172800u)]
    [InlineData("1w", 604800u)]
    [InlineData("1W2D3H4M5S", 604800u + 2 * 86400 + 3 * 3600 + 4 * 60 + 5)]
    [InlineData("86400", 86400u)]
    [InlineData("2147483647", 2147483647u)]
    public void TtlUnits_AreAcceptedCaseInsensitively(string ttl, uint seconds)
    {
        Assert.Equal(seconds, Single($"www {ttl} IN A 192.0.2.1\n", RecordType.A).Ttl);
        Assert.Equal(seconds, Single($"$TTL {ttl}\nwww A 192.0.2.1\n", RecordType.A).Ttl);
    }

    [Fact]
    public void Problems_NameFileAndLine()
    {
        Assert.Equal(["example.com.zone:3: A '192.0.2.300' is not an IPv4 address"],
            Problems("$TTL 300\nok A 192.0.2.1\nbad A 192.0.2.300\n"));
    }

    [Fact]
    public void ClassAndTtl_MayComeInEitherOrder()
    {
        var result = Read("a IN 60 A 192.0.2.1\nb 70 IN A 192.0.2.2\nc 80 A 192.0.2.3\nd in A 192.0.2.4\n");

        Assert.Empty(result.Problems);
        Assert.Equal([60u, 70u, 80u, 80u], result.Records.Select(r => r.Ttl));
    }

    [Fact]
    public void BlankOwner_ReusesThePreviousOwnerAcrossOriginChanges()
    {
        var result = Read("$TTL 300\nwww A 192.0.2.1\n$ORIGIN sub.example.com.\n   AAAA ::1\n");

        Assert.Empty(result.Problems);
        Assert.Equal(DnsName.Parse("www.example.com."), result.Records[1].Owner);
    }

    [Fact]
    public void BlankOwnerOnFirstRecord_IsAnError()
    {
        Assert.Equal(["example.com.zone:2: no owner name: the line starts with white space and no earlier record gives an owner"],
            Problems("$TTL 300\n  A 192.0.2.1\n"));
    }

    [Fact]
    public void RelativeOriginDirective_IsRelativeToTheCurrentOrigin()
    {
        var a = Single("$TTL 300\n$ORIGIN sub\nwww A 192.0.2.1\n", RecordType.A);

        Assert.Equal(DnsName.Parse("www.sub.example.com."), a.Owner);
    }

    [Fact]
    public void RdataNames_KeepTheirCaseWhileOwnersAreFolded()
    {
        var ns = Single("$TTL 300\nSub NS Ns1.Sub\n", RecordType.NS);

        Assert.Equal(DnsName.Parse("sub.example.com."), ns.Owner);
        Assert.Equal(Name("Ns1.Sub.example.com."), ns.Data);
    }

    [Fact]
    public void CommentsInsideQuotes_AreText_AndOutsideQuotes_AreComments()
    {
        var txt = Single("$TTL 300\nt TXT \"a;b\" c;d e\n", RecordType.TXT);

        Assert.Equal(Cat(Str("a;b"), Str("c")), txt.Data);
    }

    [Fact]
    public void EscapesInCharacterStrings_AreDecoded()
    {
        var txt = Single("$TTL 300\nt TXT \"\\\"q\\\"\" \"back\\\\slash\" \\065\\066 a\\ b \"\"\n", RecordType.TXT);

        Assert.Equal(Cat(Str("\"q\""), Str("back\\slash"), Str("AB"), Str("a b"), Str("")), txt.Data);
    }

    [Fact]
    public void EscapedDotInName_StaysInTheLabel()
    {
        var soa = Single("@ 300 SOA ns1 john\\.doe.example.com. 1 2 3 4 5\n", RecordType.SOA);

        Assert.Equal(Cat(Name("ns1.example.com."), [8, .. "john.doe"u8], Name("example.com."), U32(1), U32(2), U32(3), U32(4), U32(5)), soa.Data);
    }

    [Fact]
    public void ParenthesesSpanLines_WithCommentsBetween()
    {
        var soa = Single("@ 300 IN SOA ( ns1 ; primary\n hostmaster ; mailbox\n 2026112701 ; serial\n 1h 15m 1w 1d )\n", RecordType.SOA);

        Assert.Equal(Cat(Name("ns1.example.com."), Name("hostmaster.example.com."), U32(2026112701), U32(3600), U32(900), U32(604800), U32(86400)), soa.Data);
        Assert.Equal(1, soa.Source.Line);
    }

    [Fact]
    public void GenericForm_WorksForUnknownAndKnownTypes()
    {
        var result = Read("$TTL 300\nx TYPE65534 \\# 4 0a000001\nx TYPE1 \\# 4 c0 00 02 01\ny TXT \\# 0\nz MX \\# 5 000a 01 61 00\n");

        Assert.Equal(["example.com.zone:4: TXT: generic RDATA is not valid for this type: character-strings do not fill the RDATA exactly"],
            result.Problems.Select(p => p.ToString()));
        Assert.Equal(Hex("0A000001"), result.Records[0].Data);
        Assert.Equal(RecordType.A, result.Records[1].Type);
        Assert.Equal(Hex("C0000201"), result.Records[1].Data);
        Assert.Equal(Hex("000A016100"), result.Records[2].Data);
    }

    [Fact]
    public void EmptyGenericRdata_IsAcceptedForAnUnknownType()
    {
        Assert.Empty(Single("$TTL 300\nx TYPE65280 \\# 0\n", (RecordType)65280).Data.ToArray());
    }

    [Fact]
    public void TxtWithManyStrings_And255OctetString_AreAccepted()
    {
        string max = new('x', 255);
        var txt = Single($"$TTL 300\nt TXT \"{max}\" b\n", RecordType.TXT);

        Assert.Equal(Cat(Str(max), Str("b")), txt.Data);
    }

    [Fact]
    public void CaaValue_MayBeUnquotedAndLongerThan255()
    {
        string value = new('v', 300);
        var caa = Single($"$TTL 300\n@ CAA 128 iodef {value}\n", RecordType.CAA);

        Assert.Equal(Cat(U8(128), Str("iodef"), System.Text.Encoding.ASCII.GetBytes(value)), caa.Data);
    }

    [Fact]
    public void SoaTimers_AcceptUnitsButSerialDoesNot()
    {
        Assert.Equal(["example.com.zone:1: SOA: bad serial '1h': expected a number from 0 to 4294967295"],
            Problems("@ 300 SOA ns1 hostmaster 1h 1h 1h 1h 1h\n"));
    }

    [Fact]
    public void IncludeInTextWithoutFolder_IsRefused()
    {
        Assert.Equal(["example.com.zone:1: $INCLUDE cannot be used here: this text was read without a zones folder"],
            Problems("$INCLUDE other.inc\n"));
    }

    [Fact]
    public void CrLfLineEnds_AreAccepted()
    {
        var result = Read("$TTL 300\r\nwww A 192.0.2.1\r\n  TXT \"x\"\r\n");

        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Records.Count);
    }
    [Fact]
    public void FurtherTypes_HaveTheirTextForms()
    {
        var result = Read("$TTL 300\nh HINFO \"PC\" Linux\nd DNAME Target\ns SSHFP 4 2 ( 0011\n 2233 )\n"
            + "t TLSA 3 1 1 aabb\nk DNSKEY 257 3 13 AQID BA==\n");

        Assert.Empty(result.Problems);
        Assert.Equal(Cat(Str("PC"), Str("Linux")), result.Records[0].Data);
        Assert.Equal(Name("Target.example.com."), result.Records[1].Data);
        Assert.Equal(Hex("040200112233"), result.Records[2].Data);
        Assert.Equal(Hex("030101AABB"), result.Records[3].Data);
        Assert.Equal(Cat(U16(257), U8(3), U8(13), Hex("01020304")), result.Records[4].Data);
    }
}
