using System.Net;
using System.Net.Http.Json;
using ARSoft.Tools.Net.Dns;
using GslbDns.Api;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Health;

/// <summary>
/// A GslbDns host steering www.example.com to region a (two LBs, 127.0.0.11 and 127.0.0.12) or b
/// (127.0.0.21), with real stand-in LBs on those addresses that health checks probe.
/// </summary>
public sealed class HealthScenario : IAsyncDisposable
{
    public static readonly IPAddress A1 = IPAddress.Parse("127.0.0.11");
    public static readonly IPAddress A2 = IPAddress.Parse("127.0.0.12");
    public static readonly IPAddress B1 = IPAddress.Parse("127.0.0.21");

    /// <summary>Short intervals; rise 2, fall 2 unless the test says otherwise.</summary>
    public const string FastCheck = "interval: 1s, fast-interval: 100ms, timeout: 900ms, rise: 2, fall: 2";

    public const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        a.www   60    A     127.0.0.11
        a.www   60    A     127.0.0.12
        b.www   60    A     127.0.0.21
        """;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private HealthScenario(TestServer server, StandInLb[] lbs)
    {
        Server = server;
        Lbs = lbs;
    }

    public TestServer Server { get; }

    public StandInLb[] Lbs { get; }

    public StandInLb LbA1 => Lbs[0];

    public StandInLb LbA2 => Lbs[1];

    public StandInLb LbB1 => Lbs[2];

    public static bool Supported => StandInLb.CanBind(A1) && StandInLb.CanBind(A2) && StandInLb.CanBind(B1);

    /// <summary>The policy text with {PORT} replaced by the LBs' port.</summary>
    public static string PolicyFor(string health, string extra = "") => $$"""
        services:
          www:
            ttl: 30
            ttl-unhealthy: 5
            health: {{health}}
            {{extra}}
            regions:
              a: { target: a.www }
              b: { target: b.www }
            topology:
              - default: [a, b]
        """;

    public static async Task<HealthScenario> StartAsync(Func<int, string> policy, bool tls = false,
        IReadOnlyDictionary<string, string>? moreFiles = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        int port = StandInLb.FreePort(A1);
        var lbs = new[] { StandInLb.Start(A1, port, tls), StandInLb.Start(A2, port, tls), StandInLb.Start(B1, port, tls) };
        var files = new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone,
            ["example.com.gslb.yaml"] = policy(port),
        };
        foreach (var (name, text) in moreFiles ?? new Dictionary<string, string>()) files[name] = text;
        var server = await TestServer.StartAsync(files, settings);
        return new HealthScenario(server, lbs);
    }

    public async Task<(string? Region, string[] Addresses, DnsMessage Reply)> AskAsync(bool tcp = false)
    {
        var reply = await Server.Client.QueryAsync(tcp, "www.example.com", RecordType.A);
        var cname = reply.AnswerRecords.OfType<CNameRecord>().FirstOrDefault();
        string? region = cname?.CanonicalName.ToString().Split('.')[0];
        var addresses = reply.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString()).Order(StringComparer.Ordinal).ToArray();
        return (region, addresses, reply);
    }

    /// <summary>Polls DNS (UDP and TCP alike) until the answer is <paramref name="region"/> with exactly <paramref name="addresses"/>.</summary>
    public Task UntilAnswerAsync(string region, string[] addresses, string why, TimeSpan? deadline = null) =>
        Poll.UntilAsync(async () =>
        {
            var udp = await AskAsync();
            var tcp = await AskAsync(tcp: true);
            return udp.Region == region && udp.Addresses.SequenceEqual(addresses) && tcp.Region == region && tcp.Addresses.SequenceEqual(addresses);
        }, why, deadline ?? TimeSpan.FromSeconds(25));

    public async Task<HealthDocument> HealthAsync() =>
        (await Http.GetFromJsonAsync(new Uri(Server.ApiBase!, "/api/v1/health"), ApiJsonContext.Default.HealthDocument))!;

    public async Task<AddressHealthView> AddressAsync(string region, IPAddress address)
    {
        var document = await HealthAsync();
        return document.Services.Single(s => s.Service == "www.example.com").Regions.Single(r => r.Region == region)
            .Addresses.Single(a => a.Address == address.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        foreach (var lb in Lbs) await lb.DisposeAsync();
    }
}
