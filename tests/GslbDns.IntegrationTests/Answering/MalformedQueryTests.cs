using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using static GslbDns.IntegrationTests.Infrastructure.Sections;

namespace GslbDns.IntegrationTests.Answering;

/// <summary>Hostile and broken input: FORMERR, NOTIMP or silence, and the server keeps answering.</summary>
public sealed class MalformedQueryTests : IClassFixture<AnsweringServerFixture>
{
    private readonly TestServer _server;
    private readonly WireClient _client;

    public MalformedQueryTests(AnsweringServerFixture fixture)
    {
        _server = fixture.Server;
        _client = fixture.Server.Client;
    }

    private static byte[] Header(ushort qd, ushort an = 0, ushort ns = 0, ushort ar = 0, byte flags1 = 0x01) =>
        [0xab, 0xcd, flags1, 0x00, (byte)(qd >> 8), (byte)qd, (byte)(an >> 8), (byte)an, (byte)(ns >> 8), (byte)ns, (byte)(ar >> 8), (byte)ar];

    public static TheoryData<string, byte[]> FormErrCases() => new()
    {
        { "no question", Header(0) },
        { "two questions", [.. Header(2), .. QueryBuilder.EncodeName("www.example.com"), 0, 1, 0, 1, .. QueryBuilder.EncodeName("www.example.com"), 0, 1, 0, 1] },
        { "question cut short", [.. Header(1), 3, (byte)'w', (byte)'w'] },
        { "no type and class", [.. Header(1), .. QueryBuilder.EncodeName("www.example.com")] },
        { "label over 63", [.. Header(1), 64, .. new byte[64], 0, 0, 1, 0, 1] },
        { "compression loop in question", [.. Header(1), 0xc0, 12, 0, 1, 0, 1] },
        { "name over 255 octets", [.. Header(1), .. Enumerable.Range(0, 5).SelectMany(_ => (byte[])[60, .. new byte[60]]), 0, 0, 1, 0, 1] },
        { "additional record cut short", [.. Header(1, ar: 1), .. QueryBuilder.EncodeName("www.example.com"), 0, 1, 0, 1, 0, 0, 41] },
        { "two OPT records", [.. Header(1, ar: 2), .. QueryBuilder.EncodeName("www.example.com"), 0, 1, 0, 1, 0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0] },
        { "forward pointer in answer section", [.. Header(1, an: 1), .. QueryBuilder.EncodeName("www.example.com"), 0, 1, 0, 1, 0xc0, 0xff, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(FormErrCases))]
    public async Task Malformed_GetsFormErr_AndServerKeepsAnswering(string what, byte[] packet)
    {
        var raw = await _client.UdpRawAsync(packet);
        Assert.True(raw is not null, what);
        Assert.Equal(0xab, raw[0]);
        Assert.Equal(0xcd, raw[1]);
        Assert.True((raw[2] & 0x80) != 0, "QR set");
        Assert.Equal(1, raw[3] & 0x0f);

        var tcpRaw = await _client.TcpRawAsync(packet);
        Assert.Equal(1, tcpRaw[3] & 0x0f);

        var ok = await _client.QueryAsync(false, "www.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, ok.ReturnCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(11)]
    public async Task ShortPacket_IsDropped(int length)
    {
        var raw = await _client.UdpRawAsync(new byte[length], TimeSpan.FromMilliseconds(300));
        Assert.Null(raw);
        var ok = await _client.QueryAsync(false, "www.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, ok.ReturnCode);
    }

    [Fact]
    public async Task Response_IsNeverAnswered()
    {
        var packet = new QueryBuilder().Build("www.example.com", 1);
        packet[2] |= 0x80;
        Assert.Null(await _client.UdpRawAsync(packet, TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData(2)] // STATUS
    [InlineData(4)] // NOTIFY
    [InlineData(5)] // UPDATE
    public async Task OtherOpcodes_GetNotImp(byte opcode)
    {
        var raw = await _client.UdpRawAsync(new QueryBuilder { Opcode = opcode }.Build("www.example.com", 1));
        Assert.NotNull(raw);
        var reply = DnsMessage.Parse(raw);
        Assert.Equal(ReturnCode.NotImplemented, reply.ReturnCode);
        Assert.Equal(opcode, (raw[2] >> 3) & 0x0f);
        Assert.Empty(Answer(reply));
    }

    [Fact]
    public async Task RandomGarbage_NeverKillsTheServer()
    {
        var random = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            var packet = new byte[random.Next(12, 200)];
            random.NextBytes(packet);
            packet[2] &= 0x7f; // keep it a "query" so it reaches the parser
            await _client.UdpRawAsync(packet, TimeSpan.FromMilliseconds(50));
        }
        var ok = await _client.QueryAsync(false, "www.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, ok.ReturnCode);
        var okTcp = await _client.QueryAsync(true, "www.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, okTcp.ReturnCode);
    }

    [Fact]
    public async Task Ipv6Loopback_AnswersLikeIpv4()
    {
        if (_server.IPv6Endpoint is null) return; // no IPv6 loopback on this machine
        var client = new WireClient(_server.IPv6Endpoint);
        var udp = await client.QueryAsync(false, "www.example.com", RecordType.A);
        Assert.Equal(["www.example.com. 3600 IN A 192.0.2.1"], Answer(udp));
        var tcp = await client.QueryAsync(true, "www.example.com", RecordType.A);
        Assert.Equal(["www.example.com. 3600 IN A 192.0.2.1"], Answer(tcp));
    }

    [Fact]
    public async Task Tcp_PipelinedQueriesAreAllAnswered()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(_server.Endpoint);
        var stream = tcp.GetStream();
        var names = new[] { "www.example.com", "mail.example.com", "nope.example.com", "sip.example.com" };
        var batch = new List<byte>();
        for (int i = 0; i < names.Length; i++)
        {
            var q = new QueryBuilder { Id = (ushort)(100 + i) }.Build(names[i], 1);
            batch.Add((byte)(q.Length >> 8));
            batch.Add((byte)q.Length);
            batch.AddRange(q);
        }
        await stream.WriteAsync(batch.ToArray());
        var ids = new List<int>();
        for (int i = 0; i < names.Length; i++)
        {
            var reply = DnsMessage.Parse(await WireClient.ReadFramedAsync(stream));
            ids.Add(reply.TransactionID);
        }
        Assert.Equal(new[] { 100, 101, 102, 103 }, ids.Order());
    }
}
