using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ARSoft.Tools.Net.Dns;
using GslbDns.Api;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Steering;

namespace GslbDns.IntegrationTests.Api;

/// <summary>
/// A server with one steered service (www: eu for 10/8, us otherwise, each the other's fallback),
/// a tokens file outside the zones folder and a state folder of its own.
/// </summary>
public sealed class ApiScenario : IAsyncDisposable
{
    public const string EuSecret = "eu-secret-0123456789abcdef";
    public const string AnyEuSecret = "any-eu-secret-0123456789";
    public const string OpsSecret = "ops-secret-0123456789abcdef";

    public const string Tokens = $"""
        tokens:
          eu-lb: {"{"} secret: "{EuSecret}", load: ["www.example.com/eu"] {"}"}
          any-eu: {"{"} secret: "{AnyEuSecret}", load: ["*/eu"] {"}"}
          ops: {"{"} secret: "{OpsSecret}", load: ["*/*"], admin: true {"}"}
        """;

    public const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        eu.www  60    A     198.51.100.10
        us.www  60    A     192.0.2.10
        """;

    public const string Policy = """
        services:
          www:
            regions:
              eu: { target: eu.www, capacity: 5000 }
              us: { target: us.www }
            topology:
              - match: { cidr: [10.0.0.0/8] }
                prefer: [eu, us]
              - default: [us, eu]
        """;

    private readonly string _root;
    private readonly bool _withTokens;

    private ApiScenario(string root, bool withTokens)
    {
        _root = root;
        _withTokens = withTokens;
    }

    public TestServer Server { get; private set; } = null!;

    public string ZonesFolder => Path.Combine(_root, "zones");

    public string TokensFile => Path.Combine(_root, "secrets", "api-tokens.yaml");

    public string StateDir => Path.Combine(_root, "state");

    public Uri Api => Server.ApiBase!;

    public static async Task<ApiScenario> StartAsync(bool withTokens = true, string tokens = Tokens,
        IReadOnlyDictionary<string, string?>? extra = null)
    {
        var scenario = new ApiScenario(TempFolder.Create(), withTokens);
        Directory.CreateDirectory(scenario.ZonesFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(scenario.TokensFile)!);
        await File.WriteAllTextAsync(Path.Combine(scenario.ZonesFolder, "example.com.zone"), Zone);
        await File.WriteAllTextAsync(Path.Combine(scenario.ZonesFolder, "example.com.gslb.yaml"), Policy);
        if (withTokens) await File.WriteAllTextAsync(scenario.TokensFile, tokens);
        await scenario.RestartAsync(extra);
        return scenario;
    }

    /// <summary>Stops the server (if running) and starts a new one on the same zones, tokens and state folders.</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        if (Server is not null) await Server.DisposeAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Server:StateDir"] = StateDir,
            ["Server:GeoIp:0"] = ZonesFolder,
        };
        if (_withTokens) settings["Server:ApiTokens"] = TokensFile;
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        Server = await TestServer.StartOnFolderAsync(ZonesFolder, settings);
    }

    public static HttpClient Client(string? secret = null, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.Timeout = TimeSpan.FromSeconds(30);
        if (secret is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    public static StringContent Json(string json, string contentType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType));

    public Task<HttpResponseMessage> ReportAsync(HttpClient client, string region, string json, string service = "www.example.com") =>
        client.PostAsync(new Uri(Api, $"/api/v1/load/{service}/{region}"), Json(json));

    public Task<HttpResponseMessage> AdminAsync(HttpClient client, string region, string verb) =>
        client.PostAsync(new Uri(Api, $"/api/v1/regions/www.example.com/{region}/{verb}"), null);

    public async Task<StatusDocument> StatusAsync(HttpClient? over = null)
    {
        using var own = over is null ? Client() : null;
        var body = await (over ?? own!).GetStringAsync(new Uri(Api, "/api/v1/status"));
        return JsonSerializer.Deserialize(body, StatusJsonContext.Default.StatusDocument)!;
    }

    public async Task<RegionStatusView> RegionAsync(string region, HttpClient? over = null) =>
        (await StatusAsync(over)).Services.Single(s => s.Service == "www.example.com").Regions.Single(r => r.Region == region);

    /// <summary>The region a client of <paramref name="cidr"/> is steered to, over UDP.</summary>
    public async Task<string> SteeredAsync(string cidr)
    {
        var (reply, _) = await Ecs.QueryAsync(Server.Client, "www.example.com", RecordType.A, cidr);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        return Ecs.Region(reply);
    }

    /// <summary>The status code and the <c>error</c> of a refused request.</summary>
    public static async Task<(HttpStatusCode Status, string Error)> ErrorOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        return (response.StatusCode, document.RootElement.GetProperty("error").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
