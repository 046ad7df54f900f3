using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Process;

/// <summary>
/// SIGTERM and SIGINT on the real process: /readyz turns 503 first, the listeners close, a TCP query
/// in flight is answered within --shutdown-grace, and the exit code is 0.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Sigterm_AnswersTheTcpQueryInFlight_WhileReadyzSays503_ThenExitsZero()
    {
        using var server = await RunningServer.StartAsync();
        Assert.Equal((HttpStatusCode.OK, "ready\n"), await server.GetAsync("/readyz"));

        // The first half of a query is on the wire when SIGTERM arrives; its client waits for the answer.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Dns);
        var stream = tcp.GetStream();
        var framed = Framed(new QueryBuilder { Id = 0x5151 }.Build("www.example.com", 1));
        await stream.WriteAsync(framed.AsMemory(0, 9));
        await AcceptedAsync(server);

        server.Process.Signal("TERM");
        await Poll.UntilAsync(async () => await server.GetAsync("/readyz") is (HttpStatusCode.ServiceUnavailable, "not ready: shutting down\n"),
            "/readyz 503 during shutdown");
        // Liveness is not readiness: the process still answers /healthz while it drains.
        Assert.Equal((HttpStatusCode.OK, "ok\n"), await server.GetAsync("/healthz"));
        Assert.False(server.Process.HasExited);

        await stream.WriteAsync(framed.AsMemory(9));
        var reply = DnsMessage.Parse(await WireClient.ReadFramedAsync(stream));
        Assert.Equal(0x5151, reply.TransactionID);
        Assert.Equal("192.0.2.1", ((ARecord)reply.AnswerRecords.Single()).Address.ToString());
        // RFC 7766 §6.2.3: then FIN, not a reset.
        using var end = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await stream.ReadAsync(new byte[1], end.Token));

        Assert.Equal(0, await server.Process.WaitForExitAsync());
        Assert.DoesNotContain("were cut", server.Process.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigint_CutsAQueryThatNeverFinishes_AfterTheGrace_ThenExitsZero()
    {
        using var server = await RunningServer.StartAsync(null, "--shutdown-grace", "1s");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Dns);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Framed(new QueryBuilder().Build("www.example.com", 1)).AsMemory(0, 9));
        await AcceptedAsync(server);

        var stopping = Stopwatch.StartNew();
        server.Process.Signal("INT");
        Assert.Equal(0, await server.Process.WaitForExitAsync());
        stopping.Stop();

        Assert.InRange(stopping.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.Contains("1 TCP connection(s) did not finish within 00:00:01 of shutdown and were cut", server.Process.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_ClosesTheUdpAndTcpListenersBeforeTheGraceEnds()
    {
        using var server = await RunningServer.StartAsync(null, "--shutdown-grace", "5s");
        // A half-sent query holds the grace open, so the process is still alive while the listeners are closed.
        using var holder = new TcpClient();
        await holder.ConnectAsync(server.Dns);
        await holder.GetStream().WriteAsync(Framed(new QueryBuilder().Build("www.example.com", 1)).AsMemory(0, 9));
        await AcceptedAsync(server);
        var client = new WireClient(server.Dns);
        Assert.NotNull(await UdpAnswerAsync(client, TimeSpan.FromSeconds(5)));

        server.Process.Signal("TERM");
        await Poll.UntilAsync(async () => await server.GetAsync("/readyz") is (HttpStatusCode.ServiceUnavailable, _), "/readyz 503");
        await Poll.UntilAsync(async () => !await ConnectsAsync(server.Dns), "the TCP listener closed");
        Assert.Null(await UdpAnswerAsync(client, TimeSpan.FromMilliseconds(500)));
        Assert.False(server.Process.HasExited);

        Assert.Equal(0, await server.Process.WaitForExitAsync());
    }

    private static byte[] Framed(byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        return framed;
    }

    private static async Task<bool> ConnectsAsync(IPEndPoint endpoint)
    {
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(endpoint).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Answers a whole query over a second connection. Connections are accepted in the order they
    /// were made, so the connection opened before it is then accepted and held by the server: a
    /// connection still in the kernel's queue at shutdown would be reset instead of drained.
    /// </summary>
    private static async Task AcceptedAsync(RunningServer server)
    {
        var reply = await new WireClient(server.Dns).QueryAsync(true, "www.example.com", RecordType.A);
        Assert.Equal("192.0.2.1", ((ARecord)reply.AnswerRecords.Single()).Address.ToString());
    }

    /// <summary>The UDP reply, or null when none comes (a closed port may also be reported as refused).</summary>
    private static async Task<byte[]?> UdpAnswerAsync(WireClient client, TimeSpan timeout)
    {
        try
        {
            return await client.UdpRawAsync(new QueryBuilder().Build("www.example.com", 1), timeout);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
