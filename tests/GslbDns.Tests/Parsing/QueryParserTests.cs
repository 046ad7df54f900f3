using GslbDns.Parsing;
using GslbDns.Protocol;

namespace GslbDns.Tests.Parsing;

public sealed class QueryParserTests
{
    private static byte[] Query(string name, ushort type, params byte[] additional)
    {
        var bytes = new List<byte> { 0x12, 0x34, 0x01, 0x10, 0, 1, 0, 0, 0, 0, 0, (byte)(additional.Length > 0 ? 1 : 0) };
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        bytes.AddRange(additional);
        return [.. bytes];
    }

    private static byte[] Opt(ushort payload, byte version, bool dnssecOk, params byte[] options) =>
        [0, 0, 41, (byte)(payload >> 8), (byte)payload, 0, version, (byte)(dnssecOk ? 0x80 : 0), 0, (byte)(options.Length >> 8), (byte)options.Length, .. options];

    [Fact]
    public void Query_ReadsHeaderQuestionAndLowerCasesTheName()
    {
        var query = new DnsQuery();
        Assert.Equal(ParseOutcome.Query, QueryParser.Parse(Query("WWW.Example.COM", 28), ref query));
        Assert.Equal(0x1234, query.Id);
        Assert.True(query.RecursionDesired);
        Assert.True(query.CheckingDisabled);
        Assert.Equal(RecordType.AAAA, query.QType);
        Assert.Equal(1, query.QClass);
        Assert.Equal(DnsName.Parse("www.example.com.").Wire.ToArray(), query.QName.ToArray());
        Assert.False(query.HasEdns);
    }

    [Fact]
    public void Opt_ReadsPayloadVersionAndDo_SmallPayloadCountsAs512()
    {
        var query = new DnsQuery();
        Assert.Equal(ParseOutcome.Query, QueryParser.Parse(Query("a.example", 1, Opt(100, 0, true)), ref query));
        Assert.True(query.HasEdns);
        Assert.True(query.DnssecOk);
        Assert.Equal(512, query.UdpPayloadSize);
    }

    [Fact]
    public void Opt_VersionOneIsBadVersion()
    {
        var query = new DnsQuery();
        Assert.Equal(ParseOutcome.BadVersion, QueryParser.Parse(Query("a.example", 1, Opt(1232, 1, false)), ref query));
    }

    [Fact]
    public void ClientSubnet_IsReadAndMappedIntoTheIPv6Space()
    {
        var query = new DnsQuery();
        byte[] ecs = [0, 8, 0, 7, 0, 1, 24, 0, 198, 51, 100];
        Assert.Equal(ParseOutcome.Query, QueryParser.Parse(Query("a.example", 1, Opt(1232, 0, false, ecs)), ref query));
        Assert.True(query.ClientSubnet.Present);
        Assert.Equal(24, query.ClientSubnet.SourcePrefix);
        Assert.Equal(((UInt128)0xffff << 32) | 0xc6336400u, query.ClientSubnet.Address);
    }

    [Theory]
    [InlineData(new byte[] { 0, 8, 0, 8, 0, 1, 24, 0, 198, 51, 100, 0 })]   // address longer than the prefix needs
    [InlineData(new byte[] { 0, 8, 0, 7, 0, 1, 23, 0, 198, 51, 101 })]      // bit set past the source prefix
    [InlineData(new byte[] { 0, 8, 0, 7, 0, 3, 24, 0, 198, 51, 100 })]      // unknown family
    [InlineData(new byte[] { 0, 8, 0, 7, 0, 1, 24, 8, 198, 51, 100 })]      // scope set in a query
    [InlineData(new byte[] { 0, 8, 0, 2, 0, 1 })]                           // cut short
    [InlineData(new byte[] { 0, 8, 0, 20, 0, 1 })]                          // option longer than the OPT
    public void ClientSubnet_Malformed_IsFormatError(byte[] option)
    {
        var query = new DnsQuery();
        Assert.Equal(ParseOutcome.FormatError, QueryParser.Parse(Query("a.example", 1, Opt(1232, 0, false, option)), ref query));
    }

    [Fact]
    public void OptNotOwnedByRoot_IsFormatError()
    {
        var query = new DnsQuery();
        byte[] opt = [1, (byte)'x', 0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(ParseOutcome.FormatError, QueryParser.Parse(Query("a.example", 1, opt), ref query));
    }

    /// <summary>The query with one record moved into the answer (counts at 6) or authority (at 8) section.</summary>
    private static byte[] WithRecordIn(int countOffset, byte[] query, byte[] record)
    {
        query[countOffset + 1] = 1;
        return [.. query, .. record];
    }

    private static readonly byte[] SoaRecord =
        [0, 0, 6, 0, 1, 0, 0, 0, 60, 0, 22, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];

    [Fact]
    public void RecordsInTheAnswerOrAuthoritySection_AreFormatError_ButTheSoaOfAnIxfr()
    {
        var query = new DnsQuery();
        Assert.Equal(ParseOutcome.FormatError, QueryParser.Parse(WithRecordIn(6, Query("example.com", 1), SoaRecord), ref query));
        query = new DnsQuery();
        Assert.Equal(ParseOutcome.FormatError, QueryParser.Parse(WithRecordIn(8, Query("example.com", 1), SoaRecord), ref query));
        query = new DnsQuery();
        // RFC 1995 §3: an IXFR request carries the client's SOA in the authority section.
        Assert.Equal(ParseOutcome.Query, QueryParser.Parse(WithRecordIn(8, Query("example.com", 251), SoaRecord), ref query));
        query = new DnsQuery();
        // An OPT in the answer section is no EDNS: FORMERR too.
        Assert.Equal(ParseOutcome.FormatError, QueryParser.Parse(WithRecordIn(6, Query("example.com", 1), Opt(1232, 0, false)), ref query));
    }

    [Fact]
    public void Response_IsDropped_ShortPacketIsDropped()
    {
        var query = new DnsQuery();
        var response = Query("a.example", 1);
        response[2] |= 0x80;
        Assert.Equal(ParseOutcome.Drop, QueryParser.Parse(response, ref query));
        Assert.Equal(ParseOutcome.Drop, QueryParser.Parse(new byte[11], ref query));
    }

    [Fact]
    public void Notify_IsNotImplemented_QuestionStillRead()
    {
        var query = new DnsQuery();
        var notify = Query("a.example", 6);
        notify[2] = (byte)(4 << 3);
        Assert.Equal(ParseOutcome.NotImplemented, QueryParser.Parse(notify, ref query));
        Assert.True(query.QuestionEnd > 0);
    }

    [Fact]
    public void EveryTruncationOfAValidQuery_IsHandledWithoutException()
    {
        var full = Query("www.example.com", 1, Opt(1232, 0, false, 0, 8, 0, 7, 0, 1, 24, 0, 198, 51, 100));
        for (int length = 0; length < full.Length; length++)
        {
            var query = new DnsQuery();
            var outcome = QueryParser.Parse(full.AsSpan(0, length), ref query);
            Assert.NotEqual(ParseOutcome.Query, outcome);
        }
    }
}
