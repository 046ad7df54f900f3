using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.Steering.State;

namespace GslbDns.IntegrationTests.Shedding;

/// <summary>Three steered names with regions eu, us, ap in that order of preference, each reacting to load its own way.</summary>
public static class SheddingSetup
{
    public const string Zone = """
        $ORIGIN example.com.
        $TTL 60
        @       SOA  ns1 hostmaster 1 7200 900 1209600 300
        @       NS   ns1
        ns1     A    192.0.2.53
        eu.www  A    198.51.100.10
        us.www  A    192.0.2.10
        ap.www  A    203.0.113.10
        eu.cap  A    198.51.100.20
        us.cap  A    192.0.2.20
        ap.cap  A    203.0.113.20
        eu.down A    198.51.100.30
        us.down A    192.0.2.30
        ap.down A    203.0.113.30
        """;

    public const string Policy = """
        services:
          www:
            ttl: 20
            load: { shed: { start: 0.80, full: 0.90 }, spill: next, report-ttl: 30s }
            regions:
              eu: { target: eu.www, capacity: 5000 }
              us: { target: us.www }
              ap: { target: ap.www }
            topology:
              - default: [eu, us, ap]
          cap:
            load: { shed: { start: 0.80, full: 0.90 }, spill: capacity }
            regions:
              eu: { target: eu.cap }
              us: { target: us.cap, capacity: 3000 }
              ap: { target: ap.cap, capacity: 1000 }
            topology:
              - default: [eu, us, ap]
          down:
            load: { spill: capacity }
            regions:
              eu: { target: eu.down }
              us: { target: us.down, capacity: 3000 }
              ap: { target: ap.down, capacity: 1000 }
            topology:
              - default: [eu, us, ap]
        """;

    public const string Admin = "down.example.com: { eu: down }\n";

    public const string Secret = "shedding-test-secret-0123456789";

    /// <summary>The server, with a tokens file (outside the zones folder) that may report for every region.</summary>
    public static async Task<TestServer> StartAsync()
    {
        var secrets = TempFolder.Create();
        var tokens = Path.Combine(secrets, "api-tokens.yaml");
        await File.WriteAllTextAsync(tokens, $"tokens:\n  lbs: {{ secret: \"{Secret}\", load: [\"*/*\"] }}\n");
        return await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone,
            ["example.com.gslb.yaml"] = Policy,
            ["admin-state.yaml"] = Admin,
        }, new Dictionary<string, string?> { ["Server:ApiTokens"] = tokens, ["Server:StateDir"] = Path.Combine(secrets, "state") });
    }

    /// <summary>The /24 client networks 20.0.0.0/24, 20.0.1.0/24, … as ECS prefixes.</summary>
    public static IEnumerable<string> ClientNetworks(int count) =>
        Enumerable.Range(0, count).Select(i => $"20.{i / 256}.{i % 256}.0/24");

    private static readonly HttpClient Http = new();

    /// <summary>Reports load for a region as a load balancer does: POST /api/v1/load/{service}/{region} over HTTP.</summary>
    public static async Task ReportAsync(TestServer server, string service, string region, LoadReport report, TimeSpan? ttl = null)
    {
        var fields = new List<string>();
        if (report.Cpu is { } cpu) fields.Add(FormattableString.Invariant($"\"cpu\":{cpu}"));
        if (report.Memory is { } memory) fields.Add(FormattableString.Invariant($"\"memory\":{memory}"));
        if (report.Connections is { } connections) fields.Add(FormattableString.Invariant($"\"connections\":{connections}"));
        if (report.Capacity is { } capacity) fields.Add(FormattableString.Invariant($"\"capacity\":{capacity}"));
        fields.Add(FormattableString.Invariant($"\"ttl\":{(ttl ?? TimeSpan.FromMinutes(5)).TotalSeconds}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.ApiBase!, $"/api/v1/load/{service}/{region}"))
        {
            Content = new StringContent("{" + string.Join(",", fields) + "}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Secret);
        using var response = await Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
    }
}
