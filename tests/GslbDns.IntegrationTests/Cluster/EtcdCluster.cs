using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>Skips a test where Debian's etcd-server is not installed.</summary>
public sealed class EtcdFactAttribute : FactAttribute
{
    public EtcdFactAttribute()
    {
        if (!File.Exists(EtcdCluster.Binary)) Skip = $"etcd is not installed at {EtcdCluster.Binary} (apt-get install etcd-server)";
    }
}

/// <summary>
/// A real three-member etcd cluster on loopback, on free ports, with data folders in a temporary
/// folder: members can be stopped and started again (on the same ports and data) to play outages.
/// Every process is killed on dispose, also when a test fails.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    public const string Binary = "/usr/bin/etcd";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly string _root = TempFolder.Create();
    private readonly (int Client, int Peer)[] _ports;
    private readonly System.Diagnostics.Process?[] _processes;
    private readonly string _token = "gslbdns-test-" + Guid.NewGuid().ToString("N")[..8];

    private EtcdCluster(int members)
    {
        _ports = Enumerable.Range(0, members).Select(_ => (FreePort(), FreePort())).ToArray();
        _processes = new System.Diagnostics.Process?[members];
    }

    public int Count => _ports.Length;

    /// <summary>The client URLs, as <c>--cluster-etcd</c> takes them.</summary>
    public string Endpoints => string.Join(",", _ports.Select(p => $"http://127.0.0.1:{p.Client}"));

    public static async Task<EtcdCluster> StartAsync(int members = 3)
    {
        var cluster = new EtcdCluster(members);
        try
        {
            for (int i = 0; i < members; i++) cluster.Start(i);
            await cluster.WaitHealthyAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Starts member <paramref name="index"/> (again: same ports, same data).</summary>
    public void Start(int index)
    {
        var (client, peer) = _ports[index];
        string initial = string.Join(",", _ports.Select((p, i) => $"m{i}=http://127.0.0.1:{p.Peer}"));
        var start = new ProcessStartInfo(Binary,
        [
            "--name", $"m{index}", "--data-dir", Path.Combine(_root, $"m{index}"),
            "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", initial, "--initial-cluster-token", _token, "--initial-cluster-state", "new",
            "--heartbeat-interval", "100", "--election-timeout", "1000", "--log-level", "error",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = System.Diagnostics.Process.Start(start)!;
        // Drained so a chatty member never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes[index] = process;
    }

    /// <summary>Kills member <paramref name="index"/> (as a crash: no goodbye to the others).</summary>
    public async Task StopAsync(int index)
    {
        var process = _processes[index];
        if (process is null) return;
        _processes[index] = null;
        try
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }

    /// <summary>Waits until every running member says it is healthy (has a leader).</summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        for (int i = 0; i < _ports.Length; i++)
        {
            if (_processes[i] is null) continue;
            while (!await HealthyAsync(i))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"etcd member m{i} did not become healthy");
                await Task.Delay(100);
            }
        }
    }

    private async Task<bool> HealthyAsync(int index)
    {
        try
        {
            var text = await Http.GetStringAsync($"http://127.0.0.1:{_ports[index].Client}/health");
            return text.Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < _processes.Length; i++) await StopAsync(i);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
