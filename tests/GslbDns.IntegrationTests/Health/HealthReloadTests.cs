using System.Net;
using ARSoft.Tools.Net.Dns;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Process;
using GslbDns.IntegrationTests.Reloading;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Health;

/// <summary>Verdicts outlive reloads that leave a check alone; a changed check starts again from initial.</summary>
public class HealthReloadTests
{
    private static string Check(int port, string path = "/healthz", string initial = "up", string interval = "1s") =>
        $"{{ check: http, port: {port}, path: {path}, interval: {interval}, fast-interval: 100ms, timeout: 900ms, rise: 2, fall: 2, initial: {initial} }}";

    [Fact]
    public async Task ReloadOfAnotherZone_OrOfTheSamePolicy_KeepsADeadLbDown_AChangedCheckStartsFromInitial()
    {
        if (!HealthScenario.Supported) return;
        int port = 0;
        await using var s = await HealthScenario.StartAsync(p => HealthScenario.PolicyFor(Check(port = p)));
        s.LbA1.Set(LbMode.Stopped);
        s.LbA2.Set(LbMode.Stopped);
        await s.UntilAnswerAsync("b", ["127.0.0.21"], "a down");
        var loader = s.Server.Services.GetRequiredService<ZoneCatalogLoader>();
        var downSince = (await s.AddressAsync("a", HealthScenario.A1)).Since;

        // An unrelated zone is added: a stays down, nothing restarts.
        int generation = loader.Generation;
        await File.WriteAllTextAsync(Path.Combine(s.Server.ZonesFolder, "other.test.zone"),
            "$ORIGIN other.test.\n@ 300 SOA ns1 h 1 2 3 4 5\n@ 300 NS ns1\nns1 300 A 192.0.2.1\n");
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > generation), "reload after the new zone");
        Assert.Equal(ReturnCode.NoError, (await s.Server.Client.QueryAsync(false, "ns1.other.test", RecordType.A)).ReturnCode);
        Assert.Equal("b", (await s.AskAsync()).Region);
        Assert.Equal(downSince, (await s.AddressAsync("a", HealthScenario.A1)).Since);

        // The same policy, edited without touching the check (a comment, the TTL): still down.
        generation = loader.Generation;
        await File.WriteAllTextAsync(Path.Combine(s.Server.ZonesFolder, "example.com.gslb.yaml"),
            "# edited\n" + HealthScenario.PolicyFor(Check(port)).Replace("ttl: 30", "ttl: 40"));
        await Poll.UntilAsync(async () => (await s.AskAsync()).Reply.AnswerRecords.OfType<CNameRecord>().Any(r => r.TimeToLive is 5 or 40)
            && loader.Generation > generation, "the edited policy serves");
        Assert.Equal("b", (await s.AskAsync()).Region);
        Assert.Equal("down", (await s.AddressAsync("a", HealthScenario.A1)).Verdict);
        Assert.Equal(downSince, (await s.AddressAsync("a", HealthScenario.A1)).Since);

        // A changed check (another path, a long interval so its first probe is far off) starts again from initial: up.
        await File.WriteAllTextAsync(Path.Combine(s.Server.ZonesFolder, "example.com.gslb.yaml"),
            HealthScenario.PolicyFor(Check(port, path: "/ready", interval: "10m")));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "the changed check restarted from initial: up");
        var restarted = await s.AddressAsync("a", HealthScenario.A1);
        Assert.Equal("initial", restarted.Reason);
        Assert.Equal(0, restarted.Failures);
    }

    [Fact]
    public async Task RemovedAddress_IsNoLongerProbed()
    {
        if (!HealthScenario.Supported) return;
        int port = 0;
        await using var s = await HealthScenario.StartAsync(p => HealthScenario.PolicyFor(Check(port = p)));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "both up");
        await File.WriteAllTextAsync(Path.Combine(s.Server.ZonesFolder, "example.com.zone"),
            HealthScenario.Zone.Replace("a.www   60    A     127.0.0.12\n", "").Replace("SOA   ns1 hostmaster 1", "SOA   ns1 hostmaster 2"));
        await s.UntilAnswerAsync("a", ["127.0.0.11"], "127.0.0.12 removed from the zone");
        Assert.DoesNotContain((await s.HealthAsync()).Services.Single().Regions.Single(r => r.Region == "a").Addresses,
            a => a.Address == "127.0.0.12");
        await Task.Delay(400); // let a probe that was already in flight land
        int before = s.LbA2.Requests.Count;
        await Poll.UntilAsync(() => Task.FromResult(s.LbA1.Requests.Count >= before + 4), "127.0.0.11 still probed");
        Assert.Equal(before, s.LbA2.Requests.Count);
    }

    [Fact]
    public async Task DnsCheck_AgainstARealDnsServer()
    {
        if (!HealthScenario.Supported) return;
        // The "LB" is another GslbDns answering lb.test; the check asks it up.lb.test A.
        var backend = await TestServer.StartAsync("lb.test.zone",
            "$ORIGIN lb.test.\n@ 300 SOA ns1 h 1 2 3 4 5\n@ 300 NS ns1\nns1 300 A 192.0.2.1\nup 300 A 192.0.2.2\n");
        int dnsPort = backend.Endpoint.Port;
        await using var s = await HealthScenario.StartAsync(_ => HealthScenario.PolicyFor(
            $"{{ check: none }}").Replace("a: { target: a.www }",
            $"a: {{ target: a.www, health: {{ check: dns, address: 127.0.0.1, port: {dnsPort}, query: {{ name: up.lb.test, type: A }}, {HealthScenario.FastCheck} }} }}"));
        await Poll.UntilAsync(async () => (await s.AddressAsync("a", HealthScenario.A1)).LastResult?.StartsWith("DNS NOERROR", StringComparison.Ordinal) == true,
            "a DNS probe succeeded");
        Assert.Equal("127.0.0.1:" + dnsPort, (await s.AddressAsync("a", HealthScenario.A1)).Probed);
        await backend.DisposeAsync();
        await s.UntilAnswerAsync("b", ["127.0.0.21"], "a down once its DNS server stopped answering");
    }

    [Fact]
    public async Task ApiPortTaken_StopsTheServerAtStart_WithOneClearLine()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var zones = TempFolder.Create();
        await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), HealthScenario.Zone);
        using var process = ServerProcess.Start("--zones", zones, "--listen", "127.0.0.1:0", "--api-listen", $"127.0.0.1:{port}");
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains($"cannot start: cannot listen for the API on 127.0.0.1:{port}", process.Stderr, StringComparison.Ordinal);
        Directory.Delete(zones, true);
    }
}
