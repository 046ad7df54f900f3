using System.Diagnostics;
using System.Globalization;
using System.Net;
using GslbDns.Bench.Failover;

namespace GslbDns.Bench.Cluster;

/// <summary>
/// One clustered gslbdns process with a zones folder of its own: example.com with
/// <c>www</c> shed by load (region a before b, no health checks) and <c>api</c> health-checked over
/// HTTP (a.api 127.0.0.41 before b.api 127.0.0.42), probes sent from this member's own source address.
/// </summary>
public sealed class Member : IDisposable
{
    public const string Www = "www.example.com";
    public const string Api = "api.example.com";
    public const string WwwA = "a.www.example.com", WwwB = "b.www.example.com";
    public const string ApiA = "a.api.example.com";

    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        a.www   60    A     192.0.2.10
        b.www   60    A     192.0.2.20
        a.api   60    A     127.0.0.41
        b.api   60    A     127.0.0.42
        """;

    private const string Policy = """
        services:
          www:
            ttl: 30
            load: { shed: { start: 0.80, full: 0.95 }, spill: next, report-ttl: 30s }
            regions:
              a: { target: a.www }
              b: { target: b.www }
            topology:
              - default: [a, b]
          api:
            ttl: 30
            health: { check: http, port: {PORT}, path: /healthz, interval: 1s, fast-interval: 250ms, timeout: 500ms, fall: 3, rise: 2, source: {SOURCE}, agree: {AGREE} }
            regions:
              a: { target: a.api }
              b: { target: b.api }
            topology:
              - default: [a, b]
        """;

    private readonly Process _process;
    private readonly string _folder;
    private readonly Queue<string> _lastLines = new();

    private Member(string name, Process process, string folder, IPEndPoint dns, Uri api)
    {
        Name = name;
        _process = process;
        _folder = folder;
        Dns = dns;
        ApiBase = api;
    }

    public string Name { get; }

    public IPEndPoint Dns { get; }

    public Uri ApiBase { get; }

    public bool HasExited => _process.HasExited;

    public static async Task<Member> StartAsync(MemberOptions o, int index)
    {
        string name = $"bench-{index + 1}";
        string folder = Directory.CreateTempSubdirectory($"gslbdns-cluster-{name}-").FullName;
        string zones = Path.Combine(folder, "zones");
        Directory.CreateDirectory(zones);
        await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), Zone + "\n");
        string policy = Policy.Replace("{PORT}", o.LbPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{SOURCE}", o.ProbeSources[index].ToString(), StringComparison.Ordinal)
            .Replace("{AGREE}", o.Agree, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(zones, "example.com.gslb.yaml"), policy + "\n");
        string tokens = Path.Combine(folder, "tokens.yaml");
        await File.WriteAllTextAsync(tokens, $"tokens:\n  bench: {{ secret: \"{o.Secret}\", load: [\"*/*\"] }}\n");

        var dns = new IPEndPoint(IPAddress.Loopback, o.DnsPorts[index]);
        var api = new IPEndPoint(IPAddress.Loopback, o.ApiPorts[index]);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "exec", o.ServerDll, "--zones", zones, "--listen", dns.ToString(), "--api-listen", api.ToString(), "--no-watch",
                     "--geoip", o.GeoIp, "--api-tokens", tokens, "--state-dir", Path.Combine(folder, "state"),
                     "--cluster-etcd", o.Etcd, "--cluster-prefix", o.Prefix, "--instance-name", name, "--log-level", "Warning",
                 })
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet");
        var member = new Member(name, process, folder, dns, new Uri($"http://{api}/"));
        process.OutputDataReceived += (_, e) => member.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => member.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return member;
    }

    /// <summary>Waits until the member answers DNS and says ready.</summary>
    public async Task WaitReadyAsync(HttpClient http)
    {
        var asker = new DnsAsker(Dns, Www, TimeSpan.FromMilliseconds(200));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            try
            {
                if ((await asker.AskAsync()).Replied && (await http.GetAsync(new Uri(ApiBase, "readyz"))).IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"{Name} did not get ready on {Dns} within 30 s:\n{LastLines()}");
    }

    public string LastLines()
    {
        lock (_lastLines) return string.Join('\n', _lastLines);
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40) _lastLines.Dequeue();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What the three members share and where each one listens.</summary>
public sealed record MemberOptions(string ServerDll, string GeoIp, string Etcd, string Prefix, string Secret, string Agree, int LbPort,
    int[] DnsPorts, int[] ApiPorts, IPAddress[] ProbeSources);
