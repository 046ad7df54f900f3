using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace GslbDns.Bench.Failover;

/// <summary>
/// The real gslbdns executable serving a temporary zones folder: example.com with www steered to
/// region a (a.www, 127.0.0.11) before b (b.www, 127.0.0.21), both health-checked over HTTP.
/// </summary>
public sealed class GslbProcess : IDisposable
{
    public const string Service = "www.example.com";
    public const string TargetA = "a.www.example.com";
    public const string Health = "{ check: http, port: {PORT}, path: /healthz, interval: 1s, fast-interval: 250ms, timeout: 500ms, fall: 3, rise: 2 }";

    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        a.www   60    A     127.0.0.11
        b.www   60    A     127.0.0.21
        """;

    private const string Policy = """
        services:
          www:
            ttl: 30
            health: {HEALTH}
            regions:
              a: { target: a.www }
              b: { target: b.www }
            topology:
              - default: [a, b]
        """;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Process _process;
    private readonly string _zones;
    private readonly Queue<string> _lastLines = new();

    private GslbProcess(Process process, string zones, IPEndPoint dns, Uri api)
    {
        _process = process;
        _zones = zones;
        Dns = dns;
        Api = api;
    }

    public IPEndPoint Dns { get; }

    public Uri Api { get; }

    /// <summary>Writes the zones folder, starts the server and waits until it answers DNS and the API.</summary>
    public static async Task<GslbProcess> StartAsync(string serverDll, string geoip, int lbPort)
    {
        string zones = Directory.CreateTempSubdirectory("gslbdns-failover-").FullName;
        await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), Zone + "\n");
        await File.WriteAllTextAsync(Path.Combine(zones, "example.com.gslb.yaml"),
            Policy.Replace("{HEALTH}", Health.Replace("{PORT}", lbPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), StringComparison.Ordinal) + "\n");
        var dns = new IPEndPoint(IPAddress.Loopback, FreePort(SocketType.Dgram, ProtocolType.Udp));
        var api = new IPEndPoint(IPAddress.Loopback, FreePort(SocketType.Stream, ProtocolType.Tcp));
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "exec", serverDll, "--zones", zones, "--listen", dns.ToString(), "--api-listen", api.ToString(), "--geoip", geoip, "--no-watch" })
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start dotnet");
        var server = new GslbProcess(process, zones, dns, new Uri($"http://{api}"));
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var asker = new DnsAsker(dns, Service, TimeSpan.FromMilliseconds(200));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < until && !process.HasExited)
        {
            if ((await asker.AskAsync()).Replied && await server.RegionHealthAsync("a") is not null) return server;
            await Task.Delay(100);
        }
        string log = server.LastLines();
        server.Dispose();
        throw new InvalidOperationException($"gslbdns did not start serving on {dns} within 30 s:\n{log}");
    }

    /// <summary>Region <paramref name="region"/>'s health in <c>GET /api/v1/health</c> (up, down, unknown), or null if unreadable.</summary>
    public async Task<string?> RegionHealthAsync(string region)
    {
        try
        {
            await using var body = await Http.GetStreamAsync(new Uri(Api, "/api/v1/health"));
            using var document = await JsonDocument.ParseAsync(body);
            foreach (var service in document.RootElement.GetProperty("services").EnumerateArray())
            {
                if (service.GetProperty("service").GetString()?.TrimEnd('.') != Service) continue;
                foreach (var r in service.GetProperty("regions").EnumerateArray())
                    if (r.GetProperty("region").GetString() == region) return r.GetProperty("health").GetString();
            }
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public bool HasExited => _process.HasExited;

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

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
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
            // already gone
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_zones, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
