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
/// Every process is killed on dispose, also when a test fails. With <see cref="EtcdTls"/> the client
/// URLs are https and demand a client certificate of the test CA (peers stay on http: the instances
/// never see them).
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    public const string Binary = "/usr/bin/etcd";

    private readonly string _root = TempFolder.Create();
    private readonly (int Client, int Peer)[] _ports;
    private readonly System.Diagnostics.Process?[] _processes;
    private readonly string _token = "gslbdns-test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

    private EtcdCluster(int members, EtcdTls? tls)
    {
        _ports = Enumerable.Range(0, members).Select(_ => (FreePort(), FreePort())).ToArray();
        _processes = new System.Diagnostics.Process?[members];
        Tls = tls;
        Http = tls is null ? new HttpClient() : new HttpClient(ClientHandler(tls));
        Http.Timeout = TimeSpan.FromSeconds(2);
    }

    public int Count => _ports.Length;

    /// <summary>The TLS material the members serve with, or null for plain http.</summary>
    public EtcdTls? Tls { get; }

    /// <summary>For the test's own calls to the members (the health check, the JSON gateway): with the client certificate under TLS.</summary>
    public HttpClient Http { get; }

    private string Scheme => Tls is null ? "http" : "https";

    /// <summary>The client URLs, as <c>--cluster-etcd</c> takes them.</summary>
    public string Endpoints => string.Join(",", _ports.Select((_, i) => ClientUrl(i)));

    /// <summary>The client URL of member <paramref name="index"/>.</summary>
    public string ClientUrl(int index) => $"{Scheme}://127.0.0.1:{_ports[index].Client}";

    public static async Task<EtcdCluster> StartAsync(int members = 3, EtcdTls? tls = null)
    {
        // A second try on fresh ports: a free port found by binding and releasing it can be taken by
        // another test's listener before the member binds it, and the cluster then never forms.
        for (int attempt = 1; ; attempt++)
        {
            var cluster = new EtcdCluster(members, tls);
            try
            {
                for (int i = 0; i < members; i++) cluster.Start(i);
                await cluster.WaitHealthyAsync();
                return cluster;
            }
            catch (TimeoutException) when (attempt < 2)
            {
                await cluster.DisposeAsync();
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts member <paramref name="index"/> (again: same ports, same data).</summary>
    public void Start(int index)
    {
        var peer = _ports[index].Peer;
        string initial = string.Join(",", _ports.Select((p, i) => $"m{i}=http://127.0.0.1:{p.Peer}"));
        List<string> arguments =
        [
            "--name", $"m{index}", "--data-dir", Path.Combine(_root, $"m{index}"),
            "--listen-client-urls", ClientUrl(index), "--advertise-client-urls", ClientUrl(index),
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", initial, "--initial-cluster-token", _token, "--initial-cluster-state", "new",
            "--heartbeat-interval", "100", "--election-timeout", "1000", "--log-level", "error",
        ];
        if (Tls is not null)
        {
            arguments.AddRange(["--cert-file", Tls.ServerCertFile, "--key-file", Tls.ServerKeyFile,
                "--trusted-ca-file", Tls.CaFile, "--client-cert-auth"]);
        }
        var start = new ProcessStartInfo(Binary, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = System.Diagnostics.Process.Start(start)!;
        // Drained so a chatty member never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        // Kept (the last lines) so a member that never gets healthy can say why.
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _errors.Enqueue($"m{index}: {e.Data}");
            while (_errors.Count > 20 && _errors.TryDequeue(out string? _)) { }
        };
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
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"etcd member m{i} did not become healthy; etcd said:\n" + string.Join("\n", _errors));
                await Task.Delay(100);
            }
        }
    }

    private async Task<bool> HealthyAsync(int index)
    {
        try
        {
            var text = await Http.GetStringAsync($"{ClientUrl(index)}/health");
            return text.Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Trusts only the test CA, and shows the client certificate etcd demands.</summary>
    private static SocketsHttpHandler ClientHandler(EtcdTls tls)
    {
        var authority = tls.Authority();
        return new SocketsHttpHandler
        {
            SslOptions =
            {
                ClientCertificates = [tls.ClientCertificate()],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null) return false;
                    using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                    chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                    return chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
                },
            },
        };
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
        Http.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
