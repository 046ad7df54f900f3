using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

public class ZoneValidatorTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    private const string Apex = "$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n  NS ns1\nns1 A 192.0.2.1\n";

    private static IReadOnlyList<ZoneRecord> Records(string text)
    {
        var read = MasterFileReader.ReadText(text, "example.com.zone", Origin);
        Assert.Empty(read.Problems);
        return read.Records;
    }

    private static string[] Validate(string text) =>
        ZoneValidator.Validate(Origin, Records(text), "example.com.zone").Select(p => p.ToString()).ToArray();

    [Fact]
    public void CompleteZone_HasNoProblems()
    {
        Assert.Empty(Validate(Apex + "www A 192.0.2.2\nalias CNAME www\nsub NS ns.sub\n  DS 1 13 2 "
            + new string('a', 64) + "\nns.sub A 192.0.2.3\nout NS ns.example.net.\n"));
    }

    [Fact]
    public void NoSoa_IsAZoneProblem()
    {
        Assert.Equal(["example.com.zone:0: no SOA record at the zone apex 'example.com.'"],
            Validate("$TTL 300\n@ NS ns1\nns1 A 192.0.2.1\n"));
    }

    [Fact]
    public void SecondSoa_IsAnError()
    {
        Assert.Equal(["example.com.zone:5: second SOA record at 'example.com.'; a zone has exactly one (RFC 1035 §5.2)"],
            Validate(Apex + "@ SOA ns1 hostmaster 2 2 3 4 5\n"));
    }

    [Fact]
    public void IdenticalSoaTwice_CollapsesWithoutError()
    {
        Assert.Empty(Validate(Apex + "@ SOA ns1 hostmaster 1 2 3 4 5\n"));
    }

    [Fact]
    public void SoaBelowTheApex_IsAnError()
    {
        Assert.Equal(["example.com.zone:5: SOA record at 'x.example.com.' is not at the zone apex 'example.com.'"],
            Validate(Apex + "x SOA ns1 hostmaster 1 2 3 4 5\n"));
    }

    [Fact]
    public void NoApexNs_IsAnError()
    {
        Assert.Equal(["example.com.zone:2: no NS records at the zone apex 'example.com.'"],
            Validate("$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n"));
    }

    [Fact]
    public void CnameWithOtherData_IsAnError()
    {
        Assert.Equal(["example.com.zone:5: CNAME at 'www.example.com.' has other data beside it (A, TXT); a CNAME must be alone at its name (RFC 1034 §3.6.2)"],
            Validate(Apex + "www CNAME ns1\n  A 192.0.2.9\n  TXT x\n"));
    }

    [Fact]
    public void CnameBesideRrsigAndNsec_IsAllowed()
    {
        Assert.Empty(Validate(Apex + "www CNAME ns1\n  NSEC \\# 3 000000\n  RRSIG \\# 1 00\n"));
    }

    [Fact]
    public void TwoCnames_AreAnError()
    {
        Assert.Equal(["example.com.zone:6: second CNAME at 'www.example.com.'; a name has at most one (RFC 2181 §10.1)"],
            Validate(Apex + "www CNAME ns1\nwww CNAME ns2\n"));
    }

    [Fact]
    public void CnameAtTheApex_IsAnError()
    {
        Assert.Equal(["example.com.zone:5: CNAME at the zone apex 'example.com.' (the apex must hold SOA and NS)"],
            Validate(Apex + "@ CNAME www.example.net.\n"));
    }

    [Fact]
    public void InZoneNameServerWithoutAddress_IsAnError()
    {
        Assert.Equal(["example.com.zone:3: NS target 'ns2.example.com.' is inside the zone but has no A or AAAA record"],
            Validate("$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n  NS ns2\n"));
    }

    [Fact]
    public void NameServerThatIsAnAlias_IsAnError()
    {
        Assert.Equal(["example.com.zone:3: NS target 'ns2.example.com.' is an alias (CNAME); NS must name the server itself (RFC 2181 §10.3)"],
            Validate("$TTL 300\n@ SOA ns1 hostmaster 1 2 3 4 5\n  NS ns2\nns2 CNAME www.example.net.\n"));
    }

    [Fact]
    public void DelegationWithoutGlue_IsAnError()
    {
        Assert.Equal(["example.com.zone:5: NS target 'ns.sub.example.com.' is at or below the delegation point 'sub.example.com.' and needs glue: add an A or AAAA record for it"],
            Validate(Apex + "sub NS ns.sub\n"));
    }

    [Fact]
    public void DelegationToOutOfZoneServer_NeedsNoGlue()
    {
        Assert.Empty(Validate(Apex + "sub NS ns.example.net.\n"));
    }

    [Fact]
    public void OccludedDataBelowADelegation_IsAnError()
    {
        Assert.Equal(
        [
            "example.com.zone:7: TXT at 'www.sub.example.com.' is below the delegation point 'sub.example.com.' and is occluded; only glue address records belong there",
            "example.com.zone:8: A at 'stray.sub.example.com.' is below the delegation point 'sub.example.com.' and is occluded (no NS record names it, so it is not glue); only glue address records belong there",
        ], Validate(Apex + "sub NS ns.sub\nns.sub A 192.0.2.3\nwww.sub TXT x\nstray.sub A 192.0.2.4\n"));
    }

    [Fact]
    public void NestedDelegationBelowADelegation_IsOccluded()
    {
        Assert.Equal(["example.com.zone:6: NS at 'deep.sub.example.com.' is below the delegation point 'sub.example.com.' and is occluded; only glue address records belong there"],
            Validate(Apex + "sub NS ns.example.net.\ndeep.sub NS ns.deep.sub\n"));
    }

    [Fact]
    public void OtherDataAtTheDelegationPoint_IsAnError()
    {
        Assert.Equal(["example.com.zone:6: MX at the delegation point 'sub.example.com.' is occluded by the delegation; only NS, DS and glue belong there"],
            Validate(Apex + "sub NS ns.example.net.\n  MX 10 mail\n"));
    }

    [Fact]
    public void GlueAtTheDelegationPointItself_IsAllowed()
    {
        Assert.Empty(Validate(Apex + "sub NS sub\n  A 192.0.2.7\n"));
    }

    [Fact]
    public void DsAwayFromADelegation_IsAnError()
    {
        string digest = new('a', 64);
        Assert.Equal(
        [
            $"example.com.zone:5: DS at the zone apex 'example.com.' belongs in the parent zone (RFC 4034 §5)",
            $"example.com.zone:6: DS at 'host.example.com.', which is not a delegation point (no NS records there); DS belongs only at a delegation (RFC 4034 §5)",
        ], Validate(Apex + $"@ DS 1 13 2 {digest}\nhost DS 1 13 2 {digest}\n"));
    }

    [Fact]
    public void OwnerOutsideTheZone_AndTtlOutOfRange_AreErrors()
    {
        var records = Records(Apex).ToList();
        records.Add(new ZoneRecord(DnsName.Parse("www.example.net."), RecordType.A, 300, new byte[] { 192, 0, 2, 1 }, new SourceLocation("x.inc", 1)));
        records.Add(new ZoneRecord(DnsName.Parse("big.example.com."), RecordType.A, 3_000_000_000, new byte[] { 192, 0, 2, 2 }, new SourceLocation("x.inc", 2)));

        Assert.Equal(
        [
            "x.inc:1: owner 'www.example.net.' is outside the zone 'example.com.'",
            "x.inc:2: TTL 3000000000 is over the maximum 2147483647 (RFC 2181 §8)",
        ], ZoneValidator.Validate(Origin, records).Select(p => p.ToString()));
    }

    [Fact]
    public void EveryProblem_IsReported()
    {
        Assert.Equal(4, Validate("$TTL 300\n@ NS ns9\nwww CNAME ns1\n  A 192.0.2.1\nx DS 1 13 2 " + new string('b', 64) + "\n").Length);
    }
}
