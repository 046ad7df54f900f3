using System.Buffers.Binary;
using System.Net.Sockets;
using GslbDns.Health;
using GslbDns.Health.Probes;
using GslbDns.Protocol;
using static GslbDns.Tests.Health.ProbeTesting;

namespace GslbDns.Tests.Health;

public class DnsProbeTests
{
    private static readonly HealthCheckSpec Spec = new() { Kind = CheckKind.Dns };
    private static readonly DnsProbe Dns = new();

    [Fact]
    public async Task OneAnswer_IsSuccess_AndTheQueryIsWhatTheCheckSays()
    {
        byte[]? seen = null;
        await using var server = new TestDnsServer((query, _) => TestDnsServer.Reply(seen = query));
        var result = await Probe(Dns, server.Endpoint, Spec with { QueryName = "Health.Example.Test", QueryType = RecordType.AAAA });
        Assert.Equal(ProbeResult.Ok("DNS NOERROR, 1 answer", result.Latency), result);
        Assert.NotNull(seen);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(seen.AsSpan(2))); // QR, opcode, RD all clear
        Assert.Equal([.. DnsName.Parse("health.example.test.").Wire, 0, 28, 0, 1], seen[12..]);
    }

    [Fact]
    public async Task QueryName_DefaultsToTheServiceName()
    {
        byte[]? seen = null;
        await using var server = new TestDnsServer((query, _) => TestDnsServer.Reply(seen = query, answers: 2));
        var result = await Probe(Dns, server.Endpoint, Spec);
        Assert.Equal("DNS NOERROR, 2 answers", result.Detail);
        Assert.Equal([.. DnsName.Parse(Service).Wire, 0, 1, 0, 1], seen![12..]);
    }

    [Fact]
    public async Task NoData_IsFailure()
    {
        await using var server = new TestDnsServer((query, _) => TestDnsServer.Reply(query, answers: 0));
        var result = await Probe(Dns, server.Endpoint, Spec);
        Assert.Equal(ProbeResult.Fail("DNS NOERROR with no answer", result.Latency), result);
    }

    [Fact]
    public async Task ServFail_IsFailure()
    {
        await using var server = new TestDnsServer((query, _) => TestDnsServer.Reply(query, rcode: 2, answers: 0));
        var result = await Probe(Dns, server.Endpoint, Spec);
        Assert.Equal(ProbeResult.Fail("DNS SERVFAIL", result.Latency), result);
    }

    [Fact]
    public async Task WrongId_IsFailure()
    {
        await using var server = new TestDnsServer((query, _) => TestDnsServer.Reply(query, idDelta: 1));
        var result = await Probe(Dns, server.Endpoint, Spec);
        Assert.Equal(ProbeResult.Fail("DNS reply id mismatch", result.Latency), result);
    }

    [Fact]
    public async Task OtherQuestion_IsFailure()
    {
        await using var server = new TestDnsServer((query, _) =>
        {
            var reply = TestDnsServer.Reply(query);
            reply[query.Length - 3] ^= 0x1C; // A → AAAA in the echoed question
            return reply;
        });
        var result = await Probe(Dns, server.Endpoint, Spec);
        Assert.Equal("DNS reply question mismatch", result.Detail);
    }

    [Fact]
    public async Task Truncated_IsAskedAgainOverTcp()
    {
        await using var server = new TestDnsServer((query, tcp) => tcp ? TestDnsServer.Reply(query, answers: 3) : TestDnsServer.Reply(query, answers: 0, truncated: true), tcp: true);
        var result = await Probe(Dns, server.Endpoint, Spec);
        Assert.Equal("DNS NOERROR, 3 answers", result.Detail);
        Assert.Equal((1, 1), (server.UdpQueries, server.TcpQueries));
    }

    [Fact]
    public async Task NoReply_EndsPromptlyOnCancellation()
    {
        await using var server = new TestDnsServer((_, _) => null);
        var took = await CancelledAfterShortWait(Dns, server.Endpoint, Spec);
        Assert.True(took < Deadline, $"took {took}");
        Assert.Equal(1, server.UdpQueries); // the query arrived; the reply never came
    }

    [Fact]
    public async Task ClosedPort_IsPortUnreachable()
    {
        var result = await Probe(Dns, ClosedPort(SocketType.Dgram), Spec);
        Assert.Equal(ProbeResult.Fail("DNS port unreachable", result.Latency), result);
    }

    [Fact]
    public async Task Source_IsTheAddressTheServerSees()
    {
        if (SecondLoopback() is not { } source) return; // 127.0.0.2 not bindable here
        await using var server = new TestDnsServer((query, _) => TestDnsServer.Reply(query));
        var result = await Probe(Dns, server.Endpoint, Spec with { Source = source });
        Assert.True(result.Success, result.Detail);
        Assert.Equal(source, server.LastPeer!.Address);
    }
}
