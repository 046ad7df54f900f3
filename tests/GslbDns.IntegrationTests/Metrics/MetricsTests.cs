using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Api;
using GslbDns.IntegrationTests.Health;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Metrics;

/// <summary>
/// GET /metrics against a real server: every metric family named in the docs is made to move by
/// real queries over UDP and TCP, real health-check listeners going down, real load reports over
/// HTTP and real zone edits; and promtool accepts the exposition.
/// </summary>
public class MetricsTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 7 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        ns1     AAAA  2001:db8::53
        @       MX    10 ns1
        """;

    /// <summary>A TXT RRset of about 2 KB: too big for 512 bytes without EDNS, so UDP replies are truncated.</summary>
    private static string BigZone() =>
        "$ORIGIN big.test.\n$TTL 300\n@ SOA ns hostmaster 1 7200 900 1209600 300\n@ NS ns\nns A 192.0.2.1\n" +
        string.Concat(Enumerable.Range(0, 20).Select(i => $"txt TXT \"{new string((char)('a' + i), 100)}\"\n"));

    private static (string, string) L(string key, string value) => (key, value);

    [Fact]
    public async Task QueryPathCounters_MoveWithEveryKindOfQuery()
    {
        await using var server = await TestServer.StartAsync(
            new Dictionary<string, string> { ["example.com.zone"] = Zone, ["big.test.zone"] = BigZone() }, ipv6: true);
        var before = await MetricsScrape.GetAsync(server.ApiBase!);
        Assert.StartsWith("text/plain; version=0.0.4", before.ContentType, StringComparison.Ordinal);

        await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A);
        await server.Client.QueryAsync(false, "ns1.example.com", RecordType.Mx);
        await server.Client.QueryAsync(false, "ns1.example.com", (RecordType)10); // NULL: counted as "other"
        await server.Client.QueryAsync(true, "ns1.example.com", RecordType.Aaaa);
        await server.Client.QueryAsync(true, "nope.example.com", RecordType.A);
        await server.Client.QueryAsync(false, "www.elsewhere.test", RecordType.A); // REFUSED
        await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A,
            new QueryBuilder { EdnsPayload = 1232, Options = [QueryBuilder.ClientSubnet("81.2.69.0/24")] });
        var truncated = await server.Client.QueryAsync(false, "txt.big.test", RecordType.Txt);
        Assert.True(truncated.IsTruncated);
        Assert.Null(await server.Client.UdpRawAsync([1, 2, 3, 4, 5], TimeSpan.FromMilliseconds(300))); // too short: dropped
        var formErr = new QueryBuilder().Build("ns1.example.com", 1);
        formErr[5] = 2; // QDCOUNT 2 with one question: FORMERR
        await server.Client.UdpRawAsync(formErr);
        if (server.IPv6Endpoint is { } v6) await new WireClient(v6).QueryAsync(false, "ns1.example.com", RecordType.A);

        var after = await MetricsScrape.GetAsync(server.ApiBase!);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        // ns1 A, ns1 A with ECS, the refused A (the FORMERR packet has no question that counts as read).
        Assert.Equal(3, Delta("gslbdns_dns_requests_total", L("proto", "udp"), L("family", "ipv4"), L("type", "A")));
        Assert.Equal(1, Delta("gslbdns_dns_requests_total", L("proto", "udp"), L("type", "MX")));
        // NULL, and the FORMERR packet whose question was not read.
        Assert.Equal(2, Delta("gslbdns_dns_requests_total", L("proto", "udp"), L("type", "other")));
        Assert.Equal(1, Delta("gslbdns_dns_requests_total", L("proto", "udp"), L("type", "TXT")));
        Assert.Equal(1, Delta("gslbdns_dns_requests_total", L("proto", "tcp"), L("family", "ipv4"), L("type", "AAAA")));
        if (server.IPv6Endpoint is not null) Assert.Equal(1, Delta("gslbdns_dns_requests_total", L("proto", "udp"), L("family", "ipv6")));
        Assert.Equal(1, Delta("gslbdns_dns_responses_total", L("proto", "tcp"), L("rcode", "NXDOMAIN")));
        Assert.Equal(1, Delta("gslbdns_dns_responses_total", L("proto", "udp"), L("rcode", "REFUSED")));
        Assert.Equal(1, Delta("gslbdns_dns_responses_total", L("proto", "udp"), L("rcode", "FORMERR")));
        Assert.Equal(1, Delta("gslbdns_dns_dropped_total", L("proto", "udp")));
        Assert.Equal(1, Delta("gslbdns_dns_truncated_responses_total", L("proto", "udp")));
        Assert.Equal(1, Delta("gslbdns_dns_ecs_requests_total", L("proto", "udp")));
        Assert.Equal(2, Delta("gslbdns_dns_request_size_bytes_count", L("proto", "tcp")));
        Assert.Equal(2, Delta("gslbdns_dns_response_size_bytes_count", L("proto", "tcp")));
        // The truncated TXT reply is under 512 bytes; the request of 5 bytes sits in the le="100" bucket.
        Assert.True(Delta("gslbdns_dns_request_size_bytes_bucket", L("proto", "udp"), L("le", "100")) >= 1);
        Assert.True(Delta("gslbdns_dns_response_size_bytes_sum", L("proto", "udp")) > 0);
    }

    [Fact]
    public async Task TcpConnections_OpenAndRefusedAtTheCap()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:TcpMaxConnections"] = "1" });
        var before = await MetricsScrape.GetAsync(server.ApiBase!);
        // The connection cap is 1: while one connection is held open the next is refused.
        using var held = new TcpClient();
        await held.ConnectAsync(server.Endpoint);
        await Poll.UntilAsync(async () => (await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_tcp_connections") == 1, "the held connection counted");
        using (var refused = new TcpClient())
        {
            await refused.ConnectAsync(server.Endpoint); // accepted by the kernel, closed by the server at once
            var buffer = new byte[2];
            Assert.Equal(0, await refused.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }
        var capped = await MetricsScrape.GetAsync(server.ApiBase!);
        Assert.Equal(1, capped.Sum("gslbdns_tcp_connections_refused_total") - before.Sum("gslbdns_tcp_connections_refused_total"));
    }

    [Fact]
    public async Task ZonesPoliciesGeoIpAndBuild_AreDescribed_AndAFailedLoadIsCounted()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone);
        var first = await MetricsScrape.GetAsync(server.ApiBase!);
        Assert.Equal(7, first.Sum("gslbdns_zone_serial", L("zone", "example.com")));
        Assert.Equal(5, first.Sum("gslbdns_zone_records", L("zone", "example.com")));
        Assert.True(first.Sum("gslbdns_zone_last_load_timestamp_seconds", L("zone", "example.com"), L("file", "example.com.zone")) > 1.7e9);
        Assert.Equal(0, first.Sum("gslbdns_zone_load_failures_total", L("file", "example.com.zone")));
        Assert.True(first.Has("gslbdns_build_info", L("version", GslbDns.Metrics.GslbDnsMeter.Version)));
        GC.Collect(); // the test host is the server's process: a collection shows in its counter
        var collected = await MetricsScrape.GetAsync(server.ApiBase!);
        Assert.True(collected.Sum("gslbdns_dotnet_gc_collections_total", L("generation", "2")) > first.Sum("gslbdns_dotnet_gc_collections_total", L("generation", "2")));
        Assert.True(collected.Sum("gslbdns_dotnet_gc_heap_bytes") > 0);
        Assert.True(collected.Sum("gslbdns_dotnet_gc_committed_bytes") >= collected.Sum("gslbdns_dotnet_gc_heap_bytes"));
        Assert.True(collected.Sum("gslbdns_dotnet_jit_methods_total") >= first.Sum("gslbdns_dotnet_jit_methods_total"));
        Assert.True(first.Sum("gslbdns_dotnet_jit_methods_total") > 100);
        Assert.True(collected.Sum("gslbdns_dotnet_jit_compile_seconds_total") > 0);
        // A blocking collection pauses every thread; the counter only grows.
        Assert.True(collected.Sum("gslbdns_dotnet_gc_pause_seconds_total") > 0);
        Assert.True(collected.Sum("gslbdns_dotnet_gc_pause_seconds_total") >= first.Sum("gslbdns_dotnet_gc_pause_seconds_total"));

        var path = Path.Combine(server.ZonesFolder, "example.com.zone");
        await File.WriteAllTextAsync(path, Zone + "broken line here\n");
        await Poll.UntilAsync(async () => (await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_zone_load_failures_total", L("file", "example.com.zone")) >= 1,
            "the rejected edit counted as a failed load");
        var failed = await MetricsScrape.GetAsync(server.ApiBase!);
        Assert.Equal(7, failed.Sum("gslbdns_zone_serial", L("zone", "example.com"))); // the last good zone still serves

        await File.WriteAllTextAsync(path, Zone.Replace(" 7 7200", " 8 7200", StringComparison.Ordinal));
        await Poll.UntilAsync(async () => (await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_zone_serial", L("zone", "example.com")) == 8,
            "the fixed zone is served");

        // A policy: its services are counted; a broken edit is a failed load and the last good policy stays.
        var policy = Path.Combine(server.ZonesFolder, "example.com.gslb.yaml");
        await File.WriteAllTextAsync(policy, "services:\n  www:\n    regions: { a: { target: ns1 } }\n    topology: [ { default: [a] } ]\n");
        await Poll.UntilAsync(async () => (await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_policy_services", L("zone", "example.com")) == 1,
            "the policy is in force");
        Assert.True((await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_policy_last_load_timestamp_seconds", L("file", "example.com.gslb.yaml")) > 1.7e9);
        await File.WriteAllTextAsync(policy, "services:\n  www:\n    regions: { a: { target: nowhere } }\n");
        await Poll.UntilAsync(async () => (await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_policy_load_failures_total", L("file", "example.com.gslb.yaml")) >= 1,
            "the broken policy counted as a failed load");
        Assert.Equal(1, (await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_policy_services", L("zone", "example.com")));
    }

    [Fact]
    public async Task GeoIpDatabases_AreDescribed()
    {
        var geoFolder = TempFolder.Create();
        File.Copy(Path.Combine(RepositoryFiles.Root, "geoip", "GslbDns-Sample-City.mmdb"), Path.Combine(geoFolder, "city.mmdb"));
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:GeoIp:0"] = geoFolder });
        var scrape = await MetricsScrape.GetAsync(server.ApiBase!);
        var file = Path.Combine(geoFolder, "city.mmdb");
        Assert.True(scrape.Sum("gslbdns_geoip_database_networks", L("file", file)) > 0);
        Assert.True(scrape.Sum("gslbdns_geoip_database_build_timestamp_seconds", L("file", file)) > 1.5e9);
        Assert.True(scrape.Sum("gslbdns_geoip_last_load_timestamp_seconds", L("file", file)) > 1.7e9);
        Assert.Equal(0, scrape.Sum("gslbdns_geoip_load_failures_total", L("file", file)));

        await File.WriteAllTextAsync(file + ".new", "not a database");
        File.Move(file + ".new", file, overwrite: true);
        await Poll.UntilAsync(async () => (await MetricsScrape.GetAsync(server.ApiBase!)).Sum("gslbdns_geoip_load_failures_total", L("file", file)) >= 1,
            "the corrupt replacement counted as a failed load", TimeSpan.FromSeconds(90));
    }

    private static string Http(int port) =>
        $"{{ check: http, port: {port}, path: /healthz, expect: {{ status: [200], body: ok }}, {HealthScenario.FastCheck} }}";

    /// <summary>Three services on the same two regions, one per all-down policy.</summary>
    private static string ThreePolicies(int port) => $$"""
        services:
          www:
            ttl: 30
            health: {{Http(port)}}
            regions: { a: { target: a.www }, b: { target: b.www } }
            topology: [ { default: [a, b] } ]
          api:
            all-down: servfail
            health: {{Http(port)}}
            regions: { a: { target: a.www }, b: { target: b.www } }
            topology: [ { default: [a, b] } ]
          img:
            all-down: nodata
            health: {{Http(port)}}
            regions: { a: { target: a.www }, b: { target: b.www } }
            topology: [ { default: [a, b] } ]
          mix:
            regions: { a: { target: a.www }, b: { target: b.www } }
            topology: [ { default: [[a, b]] } ]
        """;

    [LoopbackAliasesFact]
    public async Task SteeringAndHealthMetrics_FollowRealLbsGoingDown()
    {
        await using var s = await HealthScenario.StartAsync(ThreePolicies);
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "a answers");
        await Poll.UntilAsync(async () => (await MetricsScrape.GetAsync(s.Server.ApiBase!)).Sum("gslbdns_probes_total",
            L("service", "www.example.com"), L("region", "a"), L("outcome", "success")) >= 2, "a's LBs probed");
        for (int i = 0; i < 3; i++) await s.AskAsync();
        var up = await MetricsScrape.GetAsync(s.Server.ApiBase!);
        var sinceUp = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(up.Sum("gslbdns_steering_decisions_total", L("service", "www.example.com"), L("region", "a"), L("reason", "preferred")) >= 3);
        Assert.Equal(1, up.Sum("gslbdns_address_health", L("service", "www.example.com"), L("address", "127.0.0.11"), L("state", "up")));
        Assert.Equal(1, up.Sum("gslbdns_region_up", L("service", "www.example.com"), L("region", "a")));
        Assert.True(up.Has("gslbdns_address_health_age_seconds", L("address", "127.0.0.11")));
        // One rank of two regions: the client's network is split by weight.
        await s.Server.Client.QueryAsync(false, "mix.example.com", RecordType.A);
        Assert.Equal(1, (await MetricsScrape.GetAsync(s.Server.ApiBase!)).Sum("gslbdns_steering_decisions_total", L("service", "mix.example.com"), L("reason", "weighted")));

        s.LbA1.Set(LbMode.Stopped);
        s.LbA2.Set(LbMode.Stopped);
        await s.UntilAnswerAsync("b", ["127.0.0.21"], "a's LBs stopped: clients spill to b");
        for (int i = 0; i < 3; i++) await s.AskAsync();
        var spilled = await MetricsScrape.GetAsync(s.Server.ApiBase!);
        Assert.True(spilled.Sum("gslbdns_steering_decisions_total", L("service", "www.example.com"), L("region", "b"), L("reason", "spill")) >= 3);
        Assert.Equal(1, spilled.Sum("gslbdns_address_health", L("service", "www.example.com"), L("address", "127.0.0.11"), L("state", "down")));
        Assert.Equal(0, spilled.Sum("gslbdns_address_health", L("service", "www.example.com"), L("address", "127.0.0.11"), L("state", "up")));
        Assert.Equal(0, spilled.Sum("gslbdns_region_up", L("service", "www.example.com"), L("region", "a")));
        Assert.True(spilled.Sum("gslbdns_probes_total", L("service", "www.example.com"), L("region", "a"), L("outcome", "failure")) >= 2);
        Assert.True(spilled.Sum("gslbdns_probe_duration_seconds_count", L("service", "www.example.com"), L("region", "a")) >= 4);
        // The address changed state between the two scrapes, so its age started again: it is younger
        // than the time between the scrapes (without the change it would be older than that).
        Assert.True(spilled.Sum("gslbdns_address_health_age_seconds", L("service", "www.example.com"), L("address", "127.0.0.11")) < sinceUp.Elapsed.TotalSeconds);

        s.LbB1.Set(LbMode.Stopped);
        // Each service runs its own checks: ask all three until each has seen every region down.
        MetricsScrape down = null!;
        await Poll.UntilAsync(async () =>
        {
            await s.AskAsync();
            await s.Server.Client.QueryAsync(false, "api.example.com", RecordType.A);
            await s.Server.Client.QueryAsync(false, "img.example.com", RecordType.A);
            down = await MetricsScrape.GetAsync(s.Server.ApiBase!);
            return down.Sum("gslbdns_steering_decisions_total", L("service", "www.example.com"), L("reason", "fail_open")) >= 1
                && down.Sum("gslbdns_steering_decisions_total", L("service", "api.example.com"), L("reason", "all_down_servfail")) >= 1
                && down.Sum("gslbdns_steering_decisions_total", L("service", "img.example.com"), L("reason", "all_down_nodata")) >= 1;
        }, "every region down: www fails open, api answers SERVFAIL, img NODATA");
        Assert.Equal(ReturnCode.ServerFailure, (await s.Server.Client.QueryAsync(false, "api.example.com", RecordType.A)).ReturnCode);
        Assert.False(down.Has("gslbdns_steering_decisions_total", L("service", "api.example.com"), L("reason", "all_down_servfail"), L("region", "a")));
        await PromtoolAsync(down.Text);
    }

    [Fact]
    public async Task LoadShedAndDrain_AreRegionGauges()
    {
        await using var s = await ApiScenario.StartAsync();
        using var eu = ApiScenario.Client(ApiScenario.EuSecret);
        using var ops = ApiScenario.Client(ApiScenario.OpsSecret);
        var idle = await MetricsScrape.GetAsync(s.Api);
        Assert.False(idle.Has("gslbdns_region_load_ratio", L("region", "eu")));
        Assert.False(idle.Has("gslbdns_region_load_report_age_seconds", L("region", "eu")));

        (await s.ReportAsync(eu, "eu", """{"cpu":0.9,"ttl":60}""")).EnsureSuccessStatusCode();
        (await s.AdminAsync(ops, "us", "drain")).EnsureSuccessStatusCode();
        var loaded = await MetricsScrape.GetAsync(s.Api);
        Assert.Equal(0.9, loaded.Sum("gslbdns_region_load_ratio", L("service", "www.example.com"), L("region", "eu")), 3);
        // Default shed thresholds 0.80 → 0.95: at 0.90 two thirds of eu's networks go elsewhere.
        Assert.Equal(0.6667, loaded.Sum("gslbdns_region_shed_ratio", L("service", "www.example.com"), L("region", "eu")), 3);
        Assert.InRange(loaded.Sum("gslbdns_region_load_report_age_seconds", L("region", "eu")), 0, 30);
        Assert.Equal(1, loaded.Sum("gslbdns_region_drained", L("service", "www.example.com"), L("region", "us")));
        Assert.Equal(0, loaded.Sum("gslbdns_region_drained", L("service", "www.example.com"), L("region", "eu")));
        await PromtoolAsync(loaded.Text);

        // eu sheds two thirds of its networks; us is drained, so the shed ones stay on eu as overloaded
        // (an overloaded region beats none) — undrain us and they move there, counted as shed.
        (await s.AdminAsync(ops, "us", "undrain")).EnsureSuccessStatusCode();
        var answers = new List<string>();
        for (int i = 0; i < 30; i++) answers.Add(await s.SteeredAsync($"10.{i}.0.0/24"));
        var shed = await MetricsScrape.GetAsync(s.Api);
        double moved = shed.Sum("gslbdns_steering_decisions_total", L("service", "www.example.com"), L("region", "us"), L("reason", "shed"));
        Assert.True(answers.Count(a => a == "us") == moved, string.Join("\n", shed.Text.Split("\n").Where(l => l.StartsWith("gslbdns_steering"))));
        Assert.InRange(moved, 10, 29);
        Assert.Equal(answers.Count(a => a == "eu"), shed.Sum("gslbdns_steering_decisions_total", L("service", "www.example.com"), L("region", "eu"), L("reason", "preferred")));
    }

    [Fact]
    public async Task QueryLogAndDnstap_CountWhatTheyWrote()
    {
        var folder = TempFolder.Create();
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?>
        {
            ["Server:QueryLog"] = Path.Combine(folder, "queries.jsonl"),
            ["Server:Dnstap"] = "file:" + Path.Combine(folder, "dnstap.fstrm"),
        });
        for (int i = 0; i < 5; i++) await server.Client.QueryAsync(i % 2 == 0, "ns1.example.com", RecordType.A);
        await Poll.UntilAsync(async () =>
        {
            var scrape = await MetricsScrape.GetAsync(server.ApiBase!);
            return scrape.Sum("gslbdns_query_log_records_total", L("state", "written")) == 5
                && scrape.Sum("gslbdns_dnstap_messages_total", L("state", "written")) == 5;
        }, "the writers' counts reached the scrape");
        var last = await MetricsScrape.GetAsync(server.ApiBase!);
        Assert.Equal(0, last.Sum("gslbdns_query_log_records_total", L("state", "dropped")));
        Assert.Equal(0, last.Sum("gslbdns_dnstap_messages_total", L("state", "dropped")));
        Assert.Equal(5, (await File.ReadAllLinesAsync(Path.Combine(folder, "queries.jsonl"))).Length);
    }

    [Fact]
    public async Task NoMetrics_NoEndpoint()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:Metrics"] = "false" });
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.ApiBase!, "/metrics"))).StatusCode);
    }

    internal static readonly string? Promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);

    internal sealed class PromtoolFactAttribute : FactAttribute
    {
        public PromtoolFactAttribute()
        {
            if (Promtool is null) Skip = "promtool is not installed (apt-get install prometheus)";
        }
    }

    private sealed class LoopbackAliasesFactAttribute : FactAttribute
    {
        public LoopbackAliasesFactAttribute()
        {
            if (!HealthScenario.Supported) Skip = "127.0.0.11, .12 and .21 cannot be bound here";
        }
    }

    [PromtoolFact]
    public async Task Promtool_AcceptsTheExposition()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone);
        await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A);
        await PromtoolAsync((await MetricsScrape.GetAsync(server.ApiBase!)).Text);
    }

    /// <summary>promtool check metrics: lint of names, units, HELP and TYPE; any complaint fails the test.</summary>
    internal static async Task PromtoolAsync(string text)
    {
        if (Promtool is null) return;
        var start = new ProcessStartInfo(Promtool, ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics: exit {process.ExitCode}\n{output}");
    }
}
