using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GslbDns.IntegrationTests.Reloading;
using GslbDns.Steering.State;

namespace GslbDns.IntegrationTests.Load;

/// <summary>
/// Pulls the CSV stats page of a real HAProxy (Debian's <c>/usr/sbin/haproxy</c>) with a backend of two
/// servers: one up on a local listener holding a request open, one down (nothing listens on its port).
/// Skipped where HAProxy is not installed.
/// </summary>
public class LoadPullHaproxyTests
{
    public const string Haproxy = "/usr/sbin/haproxy";

    private sealed class HaproxyFactAttribute : FactAttribute
    {
        public HaproxyFactAttribute()
        {
            if (!File.Exists(Haproxy)) Skip = $"HAProxy is not installed at {Haproxy} (apt-get install haproxy)";
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [HaproxyFact]
    public async Task CsvStats_OfARealHaproxy_CountTheServerInService()
    {
        // web1: accepts and never answers, so a request through HAProxy stays open on it (scur 1).
        using var web1 = new TcpListener(IPAddress.Loopback, 0);
        web1.Start();
        var held = new List<Socket>();
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var socket = await web1.AcceptSocketAsync(stop.Token);
                    lock (held) held.Add(socket);
                }
                catch (Exception)
                {
                    return;
                }
            }
        });
        int web1Port = ((IPEndPoint)web1.LocalEndpoint).Port, web2Port = FreePort(), statsPort = FreePort(), frontPort = FreePort();
        var folder = Infrastructure.TempFolder.Create();
        var config = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 1000
            defaults
                mode http
                timeout connect 1s
                timeout client 60s
                timeout server 60s
            frontend stats
                bind 127.0.0.1:{statsPort}
                stats enable
                stats uri /stats
            frontend fe
                bind 127.0.0.1:{frontPort}
                default_backend web
            backend web
                server web1 127.0.0.1:{web1Port} maxconn 100 check inter 200ms fall 2 rise 1
                server web2 127.0.0.1:{web2Port} maxconn 50 check inter 200ms fall 2 rise 1

            """);
        using var haproxy = System.Diagnostics.Process.Start(new ProcessStartInfo(Haproxy, ["-db", "-f", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = new StringBuilder();
        haproxy.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        haproxy.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        haproxy.BeginOutputReadLine();
        haproxy.BeginErrorReadLine();
        try
        {
            var url = $"http://127.0.0.1:{statsPort}/stats;csv";
            await using var server = await LoadPullTests.StartAsync(LoadPullTests.Policy($"{{ pull: \"{url}\", interval: 500ms, timeout: 400ms, backend: web }}"));

            // A request through the frontend, held open by web1.
            using var client = new TcpClient();
            await Poll.UntilAsync(async () =>
            {
                try
                {
                    if (!client.Connected) await client.ConnectAsync(IPAddress.Loopback, frontPort);
                    return true;
                }
                catch (SocketException)
                {
                    return haproxy.HasExited ? throw new InvalidOperationException("haproxy exited:\n" + output) : false;
                }
            }, "HAProxy's frontend accepts");
            await client.GetStream().WriteAsync("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"u8.ToArray());

            // web2 goes DOWN (nothing listens): only web1 counts, with its open session and its maxconn.
            await Poll.UntilAsync(() => Task.FromResult(LoadPullTests.LoadOf(server, LoadPullTests.Eu) is { Valid: true } l
                && l.Load.Report == new LoadReport(null, null, 1, 100)), "HAProxy's stats pulled: 1 session on web1, web2 down");
            Assert.Equal("pull " + url, LoadPullTests.LoadOf(server, LoadPullTests.Eu)!.Value.Load.Source);
        }
        finally
        {
            stop.Cancel();
            if (!haproxy.HasExited) haproxy.Kill();
            await haproxy.WaitForExitAsync();
            lock (held) held.ForEach(s => s.Dispose());
            Directory.Delete(folder, true);
        }
    }
}
