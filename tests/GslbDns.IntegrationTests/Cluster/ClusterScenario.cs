using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Health;
using GslbDns.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// Several GslbDns instances (real hosts in this process, each on its own ports, zones, tokens and
/// state folders) sharing one etcd cluster under a prefix of their own. Two steered names: www
/// (regions eu, us, ap in that order; eu sheds from 0.80 to 0.90 load) and hc (region a on a real
/// stand-in LB at 127.0.0.31, else b), whose checks each instance sends from its own source address
/// 127.0.0.10N, so the LB can answer one instance differently from the others.
/// </summary>
public sealed class ClusterScenario : IAsyncDisposable
{
    public const string Secret = "cluster-test-secret-0123456789ab";
    public static readonly IPAddress LbA = IPAddress.Parse("127.0.0.31");

    public const string Zone = """
        $ORIGIN example.com.
        $TTL 60
        @       SOA  ns1 hostmaster 1 7200 900 1209600 300
        @       NS   ns1
        ns1     A    192.0.2.53
        eu.www  A    198.51.100.10
        us.www  A    192.0.2.10
        ap.www  A    203.0.113.10
        a.hc    A    127.0.0.31
        b.hc    A    192.0.2.99
        """;

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly string _prefix = "/gslbdns-test-" + Guid.NewGuid().ToString("N")[..8] + "/";
    private readonly string _agree;
    private readonly Dictionary<string, string?> _extra;

    private ClusterScenario(EtcdCluster etcd, StandInLb lb, string agree, Dictionary<string, string?> extra)
    {
        Etcd = etcd;
        Lb = lb;
        _agree = agree;
        _extra = extra;
    }

    public EtcdCluster Etcd { get; }

    public StandInLb Lb { get; }

    public TestServer?[] Servers { get; private set; } = [];

    public string[] Roots { get; private set; } = [];

    public static bool Supported => Enumerable.Range(1, 3).All(i => StandInLb.CanBind(SourceOf(i - 1))) && StandInLb.CanBind(LbA);

    /// <summary>The source address instance <paramref name="index"/> probes from.</summary>
    public static IPAddress SourceOf(int index) => IPAddress.Parse($"127.0.0.{101 + index}");

    public static string NameOf(int index) => ((char)('a' + index)).ToString();

    /// <summary>Settings of one instance only, over those of all (such as its own etcd client certificate); a test may change them before a restart.</summary>
    public Dictionary<string, string?>[] Overrides { get; private set; } = [];

    public static async Task<ClusterScenario> StartAsync(EtcdCluster etcd, int instances = 3, string agree = "quorum",
        Dictionary<string, string?>? extra = null, Func<int, Dictionary<string, string?>>? overrides = null)
    {
        var scenario = new ClusterScenario(etcd, StandInLb.Start(LbA), agree, extra ?? []);
        try
        {
            scenario.Roots = Enumerable.Range(0, instances).Select(_ => TempFolder.Create()).ToArray();
            scenario.Overrides = Enumerable.Range(0, instances).Select(i => overrides?.Invoke(i) ?? []).ToArray();
            scenario.Servers = new TestServer?[instances];
            for (int i = 0; i < instances; i++)
            {
                await scenario.WriteFilesAsync(i);
                await scenario.StartInstanceAsync(i);
            }
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
        return scenario;
    }

    public TestServer this[int index] => Servers[index] ?? throw new InvalidOperationException($"instance {NameOf(index)} is stopped");

    public string Policy(int index) => $$"""
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
          hc:
            ttl: 5
            health: { check: http, port: {{Lb.Port}}, path: /healthz, interval: 1s, timeout: 800ms, rise: 1, fall: 1, source: {{SourceOf(index)}}, agree: "{{_agree}}" }
            regions:
              a: { target: a.hc }
              b: { target: b.hc, health: { check: none } }
            topology:
              - default: [a, b]
        """;

    private async Task WriteFilesAsync(int index)
    {
        var root = Roots[index];
        Directory.CreateDirectory(Path.Combine(root, "zones"));
        Directory.CreateDirectory(Path.Combine(root, "secrets"));
        await File.WriteAllTextAsync(Path.Combine(root, "zones", "example.com.zone"), Zone);
        await File.WriteAllTextAsync(Path.Combine(root, "zones", "example.com.gslb.yaml"), Policy(index));
        await File.WriteAllTextAsync(Path.Combine(root, "secrets", "api-tokens.yaml"),
            $"tokens:\n  ops: {{ secret: \"{Secret}\", load: [\"*/*\"], admin: true }}\n");
    }

    public async Task StartInstanceAsync(int index) =>
        Servers[index] = await TestServer.StartOnFolderAsync(Path.Combine(Roots[index], "zones"), SettingsOf(index));

    /// <summary>Instance <paramref name="index"/>'s configuration (keys as appsettings.json has them).</summary>
    public Dictionary<string, string?> SettingsOf(int index)
    {
        var root = Roots[index];
        var settings = new Dictionary<string, string?>
        {
            ["Server:ApiTokens"] = Path.Combine(root, "secrets", "api-tokens.yaml"),
            ["Server:StateDir"] = Path.Combine(root, "state"),
            ["Server:ClusterEtcd"] = Etcd.Endpoints,
            ["Server:InstanceName"] = NameOf(index),
            ["Server:ClusterPrefix"] = _prefix,
            ["Server:ClusterStaleAfter"] = "3s",
        };
        foreach (var (key, value) in _extra) settings[key] = value;
        foreach (var (key, value) in Overrides[index]) settings[key] = value;
        return settings;
    }

    /// <summary>Stops an instance as a crash would look to etcd: its lease is left to run out instead of being revoked.</summary>
    public Task CrashInstanceAsync(int index)
    {
        this[index].Services.GetRequiredService<GslbDns.Cluster.ClusterService>().Writer.RevokeOnStop = false;
        return StopInstanceAsync(index);
    }

    public GslbDns.Steering.State.RegionStateStore State(int index) => this[index].Services.GetRequiredService<GslbDns.Steering.State.RegionStateStore>();

    public async Task StopInstanceAsync(int index)
    {
        if (Servers[index] is { } server)
        {
            Servers[index] = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>The address www or hc is answered with by instance <paramref name="index"/>.</summary>
    public async Task<string> AnswerAsync(int index, string service)
    {
        var reply = await this[index].Client.QueryAsync(false, $"{service}.example.com", RecordType.A);
        return reply.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString()).FirstOrDefault() ?? $"rcode {reply.ReturnCode}";
    }

    /// <summary>Polls until every listed instance answers <paramref name="service"/> with <paramref name="address"/>; returns the time it took.</summary>
    public async Task<TimeSpan> WaitForAnswerAsync(IEnumerable<int> instances, string service, string address, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var pending = instances.ToList();
        var last = new Dictionary<int, string>();
        while (pending.Count > 0)
        {
            foreach (var i in pending.ToArray())
            {
                last[i] = await AnswerAsync(i, service);
                if (last[i] == address) pending.Remove(i);
            }
            if (pending.Count == 0) break;
            if (started.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException($"after {timeout}: {service} not answered {address} by "
                    + string.Join(", ", pending.Select(i => $"{NameOf(i)} (answers {last[i]})")));
            }
            await Task.Delay(20);
        }
        return started.Elapsed;
    }

    public async Task<HttpResponseMessage> PostAsync(int index, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(this[index].ApiBase!, path))
        {
            Content = new StringContent(json ?? "", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        return await Http.SendAsync(request);
    }

    public async Task ReportAsync(int index, string region, double cpu, int ttlSeconds)
    {
        using var response = await PostAsync(index, $"/api/v1/load/www.example.com/{region}",
            FormattableString.Invariant($"{{\"cpu\":{cpu},\"ttl\":{ttlSeconds}}}"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public async Task<HttpStatusCode> DrainAsync(int index, string service, string region, bool drain)
    {
        using var response = await PostAsync(index, $"/api/v1/regions/{service}/{region}/{(drain ? "drain" : "undrain")}");
        return response.StatusCode;
    }

    /// <summary>The store state instance <paramref name="index"/>'s status gives: up, down or stale.</summary>
    public async Task<string> StoreAsync(int index)
    {
        using var status = System.Text.Json.JsonDocument.Parse(await GetAsync(index, "/api/v1/status"));
        return status.RootElement.GetProperty("cluster").GetProperty("store").GetString()!;
    }

    public Task<string> GetAsync(int index, string path) => Http.GetStringAsync(new Uri(this[index].ApiBase!, path));

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < Servers.Length; i++) await StopInstanceAsync(i);
        await Lb.DisposeAsync();
        foreach (var root in Roots)
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
