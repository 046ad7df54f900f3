using System.Buffers.Binary;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using static GslbDns.IntegrationTests.Infrastructure.Sections;

namespace GslbDns.IntegrationTests.Answering;

/// <summary>EDNS(0) (RFC 6891), reply size limits and TC, over real sockets.</summary>
public sealed class EdnsAndTruncationTests : IClassFixture<AnsweringServerFixture>
{
    private readonly WireClient _client;

    public EdnsAndTruncationTests(AnsweringServerFixture fixture)
    {
        _client = fixture.Server.Client;
    }

    [Fact]
    public async Task Opt_OnlyInRepliesToQueriesThatHadOne()
    {
        var plain = await _client.QueryAsync(false, "www.example.com", RecordType.A);
        Assert.False(plain.IsEDnsEnabled);

        var edns = await _client.QueryAsync(false, "www.example.com", RecordType.A, new QueryBuilder { EdnsPayload = 4096, DnssecOk = true });
        Assert.True(edns.IsEDnsEnabled);
        Assert.Equal(1232, edns.EDnsOptions!.UdpPayloadSize);
        Assert.Equal(0, edns.EDnsOptions.Version);
        Assert.True(edns.EDnsOptions.IsDnsSecOk);
        Assert.Single(Answer(edns));
    }

    [Fact]
    public async Task Opt_VersionAboveZeroGetsBadVers()
    {
        var raw = await _client.UdpRawAsync(new QueryBuilder { EdnsPayload = 1232, EdnsVersion = 1 }.Build("www.example.com", 1));
        Assert.NotNull(raw);
        var reply = DnsMessage.Parse(raw);
        // RFC 6891 §6.1.3: BADVERS = 16, upper eight bits in the OPT TTL, lower four in the header.
        Assert.Equal(0, raw[3] & 0x0f);
        Assert.True(reply.IsEDnsEnabled);
        Assert.Equal(ReturnCode.BadVersion, reply.ReturnCode);
        Assert.Empty(Answer(reply));
    }

    [Fact]
    public async Task Opt_UnknownOptionsAreIgnored()
    {
        var builder = new QueryBuilder { EdnsPayload = 1232, Options = [(65001, [1, 2, 3]), (10, new byte[8])] };
        var reply = await _client.QueryAsync(false, "www.example.com", RecordType.A, builder);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal(["www.example.com. 3600 IN A 192.0.2.1"], Answer(reply));
    }

    [Fact]
    public async Task Opt_ClientSubnetIsEchoedWithScopeZeroForStaticAnswers()
    {
        var builder = new QueryBuilder { EdnsPayload = 1232, Options = [QueryBuilder.ClientSubnet("198.51.100.0/24")] };
        var raw = await _client.UdpRawAsync(builder.Build("www.example.com", 1));
        Assert.NotNull(raw);
        // The OPT record is the last thing in the message: ... option 8, len 7, family 1, source 24, scope 0, 198.51.100
        var tail = raw[^11..];
        Assert.Equal(new byte[] { 0, 8, 0, 7, 0, 1, 24, 0, 198, 51, 100 }, tail);
    }

    [Theory]
    [InlineData("10.0.1.0/23")]   // bits set past the source prefix
    [InlineData("10.0.0.0/33")]   // prefix longer than the family allows
    public async Task Opt_MalformedClientSubnetIsFormErr(string cidr)
    {
        (ushort code, byte[] data) option;
        if (cidr == "10.0.0.0/33")
        {
            option = (8, [0, 1, 33, 0, 10, 0, 0, 0, 0]);
        }
        else
        {
            option = (8, [0, 1, 23, 0, 10, 0, 1]);
        }
        var reply = DnsMessage.Parse((await _client.UdpRawAsync(new QueryBuilder { EdnsPayload = 1232, Options = [option] }.Build("www.example.com", 1)))!);
        Assert.Equal(ReturnCode.FormatError, reply.ReturnCode);
    }

    [Fact]
    public async Task Udp_WithoutEdnsIsLimitedTo512_AndTruncatesWholeRRsets()
    {
        var raw = await _client.UdpRawAsync(new QueryBuilder().Build("big.example.com", 16));
        Assert.NotNull(raw);
        Assert.True(raw.Length <= 512);
        var reply = DnsMessage.Parse(raw);
        Assert.True(reply.IsTruncated);
        Assert.Equal("big.example.com.", reply.Questions.Single().Name.ToString());
        // Never half an RRset: all 40 TXT records or none.
        Assert.Empty(reply.AnswerRecords);
    }

    [Fact]
    public async Task Udp_PayloadSizeIsCappedByTheServerMaximum()
    {
        var raw = await _client.UdpRawAsync(new QueryBuilder { EdnsPayload = 65000 }.Build("big.example.com", 16));
        Assert.NotNull(raw);
        Assert.True(raw.Length <= 1232, $"reply of {raw.Length} bytes");
        var reply = DnsMessage.Parse(raw);
        Assert.True(reply.IsTruncated);
        Assert.True(reply.IsEDnsEnabled);
    }

    [Fact]
    public async Task Tcp_CarriesTheWholeAnswer()
    {
        var reply = await _client.QueryAsync(true, "big.example.com", RecordType.Txt);
        Assert.False(reply.IsTruncated);
        Assert.Equal(40, reply.AnswerRecords.Count);
    }

    [Fact]
    public async Task Udp_SmallPayloadFitsWhenTheAnswerIsSmall()
    {
        var reply = await _client.QueryAsync(false, "www.example.com", RecordType.A, new QueryBuilder { EdnsPayload = 100 });
        // Values below 512 are treated as 512 (RFC 6891 §6.2.5).
        Assert.False(reply.IsTruncated);
        Assert.Single(Answer(reply));
    }

    [Fact]
    public async Task Reply_UsesNameCompression()
    {
        var raw = (await _client.TcpRawAsync(new QueryBuilder().Build("example.com", 2)))!;
        // Owner names of both NS records point at the question (0xC00C).
        int pointers = 0;
        for (int i = 0; i + 1 < raw.Length; i++)
        {
            if (raw[i] == 0xc0 && raw[i + 1] == 12) pointers++;
        }
        Assert.True(pointers >= 2, $"found {pointers} pointers to the question");
        var reply = DnsMessage.Parse(raw);
        Assert.Equal(2, reply.AnswerRecords.Count);
        // 12 header + 17 question + NS "ns1"+pointer (18) + NS ns2.example.net (29) + glue A (16) + AAAA (28):
        // every name that can point somewhere does.
        Assert.Equal(120, raw.Length);
    }
}
