using System.Net;
using System.Net.Sockets;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Process;

/// <summary>A gslbdns process serving one small zone on free loopback ports, DNS and API, for the lifecycle tests.</summary>
public sealed class RunningServer : IDisposable
{
    public const string Zone = """
        $TTL 300
        @    SOA  ns1 hostmaster 2026112701 7200 900 1209600 300
        @    NS   ns1
        ns1  A    192.0.2.53
        www  A    192.0.2.1

        """;

    private readonly string _zones;

    private RunningServer(string zones, ServerProcess process, int dnsPort, int apiPort)
    {
        _zones = zones;
        Process = process;
        Dns = new IPEndPoint(IPAddress.Loopback, dnsPort);
        Api = new Uri($"http://127.0.0.1:{apiPort}/");
    }

    public ServerProcess Process { get; }

    public IPEndPoint Dns { get; }

    public Uri Api { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Starts the server and returns once its DNS listener is logged; <paramref name="environment"/> adds variables.</summary>
    public static Task<RunningServer> StartAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] args) =>
        StartInAsync(AppContext.BaseDirectory, environment, args);

    /// <summary>As <see cref="StartAsync"/>, with the process's working directory set to <paramref name="workingDirectory"/>.</summary>
    public static async Task<RunningServer> StartInAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var zones = TempFolder.Create();
        await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), Zone);
        int dnsPort = FreePort(), apiPort = FreePort();
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["GSLBDNS_Server__ApiListen"] = $"127.0.0.1:{apiPort}",
        };
        var process = ServerProcess.StartIn(workingDirectory, variables, ["--zones", zones, "--listen", $"127.0.0.1:{dnsPort}", "--no-watch", .. args]);
        var server = new RunningServer(zones, process, dnsPort, apiPort);
        await process.WaitForOutputAsync($"Listening on 127.0.0.1:{dnsPort}");
        return server;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>GET <paramref name="path"/> of the API: status code and body, or null when nothing answers.</summary>
    public async Task<(HttpStatusCode Status, string Body)?> GetAsync(string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(Api, path));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Process.Dispose();
        Http.Dispose();
        Directory.Delete(_zones, recursive: true);
    }
}
