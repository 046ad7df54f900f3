using System.Net;
using System.Net.Sockets;
using System.Text;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Process;

/// <summary>
/// systemd's notify protocol (sd_notify(3)) on the real process: the test plays the service manager,
/// a unix datagram socket named by NOTIFY_SOCKET, as systemd does for a <c>Type=notify</c> unit.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly string _folder = TempFolder.Create();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task NotifySocket_GetsReadyOnceDnsAnswers_AndStoppingOnSigterm()
    {
        var path = Path.Combine(_folder, "notify");
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(path));
        int dnsPort = RunningServer.FreePort(), apiPort = RunningServer.FreePort();
        await File.WriteAllTextAsync(Path.Combine(_folder, "example.com.zone"), RunningServer.Zone);
        using var process = ServerProcess.Start(new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = path,
            ["GSLBDNS_Server__ApiListen"] = $"127.0.0.1:{apiPort}",
        }, "--zones", _folder, "--listen", $"127.0.0.1:{dnsPort}", "--no-watch");

        Assert.Equal("READY=1", await ReceiveAsync(manager, process));
        // READY=1 means what /readyz means: at this moment DNS already answers, on the first try.
        var reply = await new WireClient(new IPEndPoint(IPAddress.Loopback, dnsPort)).QueryAsync(false, "www.example.com", RecordType.A);
        Assert.Equal("192.0.2.1", ((ARecord)reply.AnswerRecords.Single()).Address.ToString());
        using var http = new HttpClient();
        using (var ready = await http.GetAsync($"http://127.0.0.1:{apiPort}/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        process.Signal("TERM");
        Assert.Equal("STOPPING=1", await ReceiveAsync(manager, process));
        Assert.Equal(0, await ExitCodeAsync(process));
        Assert.Equal(0, manager.Available);
    }

    [Fact]
    public async Task UnderTheNotifyLifetime_Sigint_StopsGracefullyToo()
    {
        // The package's lifetime listens to SIGTERM alone; SIGINT must not be swallowed by the API's host either.
        var path = Path.Combine(_folder, "notify");
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(path));
        await File.WriteAllTextAsync(Path.Combine(_folder, "example.com.zone"), RunningServer.Zone);
        using var process = ServerProcess.Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path },
            "--zones", _folder, "--listen", $"127.0.0.1:{RunningServer.FreePort()}", "--no-watch");
        Assert.Equal("READY=1", await ReceiveAsync(manager, process));

        process.Signal("INT");
        Assert.Equal("STOPPING=1", await ReceiveAsync(manager, process));
        Assert.Equal(0, await ExitCodeAsync(process));
        Assert.Contains("Stopped listening", process.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifySocket_GetsNothing_WhenTheStartFails()
    {
        var path = Path.Combine(_folder, "notify");
        using var manager = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        manager.Bind(new UnixDomainSocketEndPoint(path));
        await File.WriteAllTextAsync(Path.Combine(_folder, "example.com.zone"), RunningServer.Zone + "bad A 300.1.1.1\n");
        using var process = ServerProcess.Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path },
            "--zones", _folder, "--listen", $"127.0.0.1:{RunningServer.FreePort()}", "--no-watch");

        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Equal(0, manager.Available);
    }

    private static async Task<int> ExitCodeAsync(ServerProcess process)
    {
        try
        {
            return await process.WaitForExitAsync();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the server did not exit within 30 s. stdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
            throw;
        }
    }

    private static async Task<string> ReceiveAsync(Socket manager, ServerProcess process)
    {
        var buffer = new byte[256];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int length = await manager.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.ASCII.GetString(buffer, 0, length).Trim();
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no notification within 30 s. stdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
            throw;
        }
    }
}
