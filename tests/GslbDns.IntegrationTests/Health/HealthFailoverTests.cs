using System.Net;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Health;

/// <summary>Health checks against real listeners that go up and down, seen through real DNS answers and the API.</summary>
public class HealthFailoverTests
{
    private static string Http(int port, string more = "") =>
        $"{{ check: http, port: {port}, path: /healthz, host: www.example.com, expect: {{ status: [200], body: ok }}, {HealthScenario.FastCheck}{more} }}";

    [Fact]
    public async Task StoppedLb_LeavesTheAnswer_LastOneMovesClients_StartedAgainBringsThemBack()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(Http(port)));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "both LBs of a answered");

        s.LbA1.Set(LbMode.Stopped);
        await s.UntilAnswerAsync("a", ["127.0.0.12"], "127.0.0.11 left the answer");
        var down = await s.AddressAsync("a", HealthScenario.A1);
        Assert.Equal("down", down.Verdict);
        Assert.Equal("connect refused", down.Reason);
        Assert.True(down.Failures >= 2);
        Assert.Equal("up", (await s.AddressAsync("a", HealthScenario.A2)).Verdict);

        s.LbA2.Set(LbMode.Stopped);
        await s.UntilAnswerAsync("b", ["127.0.0.21"], "clients moved to b when a's last LB stopped");
        var health = await s.HealthAsync();
        var www = health.Services.Single();
        Assert.Equal("down", www.Regions.Single(r => r.Region == "a").Health);
        Assert.Equal("up", www.Regions.Single(r => r.Region == "b").Health);
        Assert.True(www.Degraded);

        s.LbA1.Set(LbMode.Up);
        await s.UntilAnswerAsync("a", ["127.0.0.11"], "a came back with 127.0.0.11 after rise successes");
        var up = await s.AddressAsync("a", HealthScenario.A1);
        Assert.Equal("up", up.Verdict);
        Assert.Equal("HTTP 200", up.LastResult);
        // Every probe was a fresh request with the configured host and path.
        Assert.All(s.LbA1.Requests, r => Assert.StartsWith("GET /healthz HTTP/1.1", r, StringComparison.Ordinal));
        Assert.All(s.LbA1.Requests, r => Assert.Contains("Host: www.example.com", r, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task LbThatAcceptsAndNeverAnswers_IsDownByTimeout()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(Http(port)));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "both up");
        s.LbA1.Set(LbMode.Blackhole);
        await s.UntilAnswerAsync("a", ["127.0.0.12"], "blackholed LB left the answer");
        var view = await s.AddressAsync("a", HealthScenario.A1);
        Assert.Equal("timeout 900 ms", view.Reason);
    }

    [Theory]
    [InlineData(500, "ok", "HTTP 500")]
    [InlineData(204, "ok", "HTTP 204")]
    [InlineData(200, "maintenance", "body lacks \"ok\"")]
    public async Task WrongStatusOrBody_IsAFailure(int status, string body, string reason)
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(Http(port)));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "both up");
        s.LbA2.Status = status;
        s.LbA2.Body = body;
        s.LbA2.Set(LbMode.Custom);
        await s.UntilAnswerAsync("a", ["127.0.0.11"], $"LB answering {status} '{body}' left the answer");
        Assert.StartsWith(reason, (await s.AddressAsync("a", HealthScenario.A2)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_WithAnUntrustedCertificate_FailsWhenVerified_PassesWhenNot()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(
            $"{{ check: https, port: {port}, path: /, tls-verify: true, interval: 1s, fast-interval: 100ms, timeout: 900ms, rise: 2, fall: 2 }}")
            .Replace("b: { target: b.www }", "b: { target: b.www, health: { tls-verify: false } }"), tls: true);
        // a's LBs present a self-signed certificate: verified, they fail; b does not verify and stays up.
        await s.UntilAnswerAsync("b", ["127.0.0.21"], "a failed its verified TLS checks");
        var a = await s.AddressAsync("a", HealthScenario.A1);
        Assert.Equal("down", a.Verdict);
        Assert.StartsWith("TLS", a.Reason, StringComparison.Ordinal);
        await Poll.UntilAsync(async () => (await s.AddressAsync("b", HealthScenario.B1)).LastResult == "HTTP 200",
            "b's unverified TLS probe succeeded");
        Assert.Equal("up", (await s.AddressAsync("b", HealthScenario.B1)).Verdict);
        Assert.NotEmpty(s.LbB1.Requests);
    }

    [Fact]
    public async Task FlappingLb_NeverChangesState()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(
            $"{{ check: http, port: {port}, interval: 400ms, fast-interval: 100ms, timeout: 350ms, rise: 2, fall: 3 }}"));
        s.LbA1.Set(LbMode.Flapping);
        await Poll.UntilAsync(() => Task.FromResult(s.LbA1.Requests.Count >= 16), "16 probes of the flapping LB", TimeSpan.FromSeconds(30));
        var view = await s.AddressAsync("a", HealthScenario.A1);
        Assert.Equal("up", view.Verdict);
        Assert.Equal("initial", view.Reason);
        Assert.Equal(["127.0.0.11", "127.0.0.12"], (await s.AskAsync()).Addresses);
    }

    [Fact]
    public async Task WhileARegionIsDown_AnswersCarryTtlUnhealthy()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(Http(port)));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "both up");
        var healthy = (await s.AskAsync()).Reply;
        Assert.Equal(30, healthy.AnswerRecords.OfType<CNameRecord>().Single().TimeToLive);
        Assert.Equal(60, healthy.AnswerRecords.OfType<ARecord>().First().TimeToLive); // the zone's TTL of the target

        s.LbB1.Set(LbMode.Stopped);
        await Poll.UntilAsync(async () => (await s.AddressAsync("b", HealthScenario.B1)).Verdict == "down", "b down");
        var degraded = (await s.AskAsync()).Reply;
        Assert.Equal("a", degraded.AnswerRecords.OfType<CNameRecord>().Single().CanonicalName.ToString().Split('.')[0]);
        Assert.All(degraded.AnswerRecords, r => Assert.Equal(5, r.TimeToLive));

        // Back up: still short for fall x interval after the change, then the service TTL again.
        s.LbB1.Set(LbMode.Up);
        await Poll.UntilAsync(async () => (await s.AddressAsync("b", HealthScenario.B1)).Verdict == "up", "b up");
        await Poll.UntilAsync(async () => (await s.AskAsync()).Reply.AnswerRecords.OfType<CNameRecord>().Single().TimeToLive == 30,
            "TTL back to 30 after the hold");
    }

    [Fact]
    public async Task AllDown_ServFail_WithRealChecks()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(Http(port), "all-down: servfail"));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "both up");
        foreach (var lb in s.Lbs) lb.Set(LbMode.Stopped);
        await Poll.UntilAsync(async () => (await s.AskAsync()).Reply.ReturnCode == ReturnCode.ServerFailure, "SERVFAIL when every LB is down");
        foreach (var lb in s.Lbs) lb.Set(LbMode.Up);
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "answers again once the LBs are back");
    }

    [Fact]
    public async Task AllDown_FailOpen_AnswersTheFirstPreference()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(Http(port)));
        await s.UntilAnswerAsync("a", ["127.0.0.11", "127.0.0.12"], "both up");
        foreach (var lb in s.Lbs) lb.Set(LbMode.Stopped);
        await Poll.UntilAsync(async () => (await s.HealthAsync()).Services.Single().Regions.All(r => r.Health == "down"), "every region down");
        // Fail-open: the first preference with all its addresses (none is better than another).
        var (region, addresses, _) = await s.AskAsync();
        Assert.Equal("a", region);
        Assert.Equal(["127.0.0.11", "127.0.0.12"], addresses);
    }

    [Fact]
    public async Task InitialDown_KeepsAddressesOut_BeforeTheirFirstProbes()
    {
        if (!HealthScenario.Supported) return;
        // A 10-minute interval: the first probes come at a random point of it, long after this test's questions.
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(
            $"{{ check: tcp, port: {port}, interval: 10m, timeout: 200ms, initial: down }}", "all-down: nodata"));
        var (region, _, reply) = await s.AskAsync();
        Assert.Null(region);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
        var view = await s.AddressAsync("a", HealthScenario.A1);
        Assert.Equal("down", view.Verdict);
        Assert.Null(view.LastResult);
        // The control: the same zone answers its plain names.
        Assert.Equal(ReturnCode.NoError, (await s.Server.Client.QueryAsync(false, "a.www.example.com", RecordType.A)).ReturnCode);
    }
}
