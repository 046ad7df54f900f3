using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using GslbDns.Api;
using GslbDns.IntegrationTests.Health;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.StatusPage;

/// <summary>
/// A server steering www.example.com to eu (two LBs, 127.0.0.11 and 127.0.0.12, in Frankfurt) or us
/// (one LB, 127.0.0.21, in Ashburn), with real stand-in LBs that HTTP health checks probe, a tokens
/// file outside the zones folder, and the API on a port of its own that a restart binds again.
/// </summary>
public sealed class StatusPageScenario : IAsyncDisposable
{
    public const string OpsSecret = "ops-secret-0123456789abcdef";
    public const string EuSecret = "eu-secret-0123456789abcdef";

    public const string Tokens = $$"""
        tokens:
          ops: { secret: "{{OpsSecret}}", load: ["*/*"], admin: true }
          eu-lb: { secret: "{{EuSecret}}", load: ["www.example.com/eu"] }
        """;

    public const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        eu.www  60    A     127.0.0.11
        eu.www  60    A     127.0.0.12
        us.www  60    A     127.0.0.21
        """;

    public static readonly IPAddress Eu1 = IPAddress.Parse("127.0.0.11");
    public static readonly IPAddress Eu2 = IPAddress.Parse("127.0.0.12");
    public static readonly IPAddress Us1 = IPAddress.Parse("127.0.0.21");

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly string _root;
    private readonly int _apiPort;

    private StatusPageScenario(string root, int apiPort, StandInLb[] lbs)
    {
        _root = root;
        _apiPort = apiPort;
        Lbs = lbs;
    }

    /// <summary>Why the scenario cannot run here (the LBs need 127.0.0.11, .12 and .21), or null.</summary>
    public static string? Unsupported =>
        new[] { Eu1, Eu2, Us1 }.All(StandInLb.CanBind) ? null : "cannot bind 127.0.0.11, 127.0.0.12 and 127.0.0.21 (loopback is one address here)";

    public static string Policy(int port) => $$"""
        services:
          www:
            ttl: 30
            load:
              shed: { start: 0.80, full: 0.95 }
            health: { check: http, port: {{port}}, path: /healthz, expect: { body: ok }, {{HealthScenario.FastCheck}} }
            regions:
              eu: { target: eu.www, location: [50.11, 8.68], capacity: 5000 }
              us: { target: us.www, location: [39.04, -77.49] }
            topology:
              - match: { cidr: [10.0.0.0/8] }
                prefer: [eu, us]
              - default: [us, eu]
        """;

    public StandInLb[] Lbs { get; }

    public StandInLb LbUs => Lbs[2];

    public TestServer? Server { get; private set; }

    public Uri Page => new($"http://127.0.0.1:{_apiPort}/");

    private string ZonesFolder => Path.Combine(_root, "zones");

    public static async Task<StatusPageScenario> StartAsync()
    {
        int lbPort = StandInLb.FreePort(Eu1);
        var lbs = new[] { StandInLb.Start(Eu1, lbPort), StandInLb.Start(Eu2, lbPort), StandInLb.Start(Us1, lbPort) };
        var scenario = new StatusPageScenario(TempFolder.Create(), FreeApiPort(), lbs);
        Directory.CreateDirectory(scenario.ZonesFolder);
        Directory.CreateDirectory(Path.Combine(scenario._root, "secrets"));
        await File.WriteAllTextAsync(Path.Combine(scenario.ZonesFolder, "example.com.zone"), Zone);
        await File.WriteAllTextAsync(Path.Combine(scenario.ZonesFolder, "example.com.gslb.yaml"), Policy(lbPort));
        await File.WriteAllTextAsync(Path.Combine(scenario._root, "secrets", "api-tokens.yaml"), Tokens);
        await scenario.StartServerAsync();
        return scenario;
    }

    /// <summary>Starts the server (again) on the same folders and API port.</summary>
    public async Task StartServerAsync()
    {
        Server = await TestServer.StartOnFolderAsync(ZonesFolder, new Dictionary<string, string?>
        {
            ["Server:ApiListen"] = $"127.0.0.1:{_apiPort}",
            ["Server:ApiTokens"] = Path.Combine(_root, "secrets", "api-tokens.yaml"),
            ["Server:StateDir"] = Path.Combine(_root, "state"),
            ["Server:GeoIp:0"] = ZonesFolder,
        });
    }

    public async Task StopServerAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        Server = null;
    }

    public async Task<RegionStatusView> RegionAsync(string region)
    {
        var body = await Http.GetFromJsonAsync(new Uri(Page, "/api/v1/status"), StatusJsonContext.Default.StatusDocument);
        return body!.Services.Single(s => s.Service == "www.example.com").Regions.Single(r => r.Region == region);
    }

    public async Task ReportLoadAsync(string region, string secret, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Page, $"/api/v1/load/www.example.com/{region}"))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static int FreeApiPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await StopServerAsync();
        foreach (var lb in Lbs) await lb.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
