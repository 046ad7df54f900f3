using GslbDns.Commands;

namespace GslbDns.IntegrationTests.Health;

/// <summary><c>explain --server</c> reads a running server's verdicts over its API and decides with them.</summary>
public class ExplainHealthTests
{
    [Fact]
    public async Task ExplainWithServer_ShowsEachAddressVerdict_AndChoosesAsTheServerDoes()
    {
        if (!HealthScenario.Supported) return;
        await using var s = await HealthScenario.StartAsync(port => HealthScenario.PolicyFor(
            $"{{ check: http, port: {port}, path: /healthz, {HealthScenario.FastCheck} }}"));
        s.LbA1.Set(LbMode.Stopped);
        s.LbA2.Set(LbMode.Stopped);
        await s.UntilAnswerAsync("b", ["127.0.0.21"], "a down");

        var remote = new StringWriter();
        var errors = new StringWriter();
        int code = await Task.Run(() => ExplainCommand.Run(
            ["www.example.com", "--zones", s.Server.ZonesFolder, "--geoip", s.Server.ZonesFolder, "--server", s.Server.ApiBase!.ToString()], remote, errors));
        Assert.True(code == 0, errors.ToString());
        var text = remote.ToString();
        Assert.Contains("health Down", text, StringComparison.Ordinal);
        Assert.Contains("HealthDown", text, StringComparison.Ordinal);
        Assert.Matches(@"127\.0\.0\.11\s+down since .* \(connect refused\): last probe connect refused", text);
        Assert.Contains("Choice:      b", text, StringComparison.Ordinal);

        // Without --server: the verdicts the checks start with (initial: up), so a.
        var local = new StringWriter();
        Assert.Equal(0, ExplainCommand.Run(["www.example.com", "--zones", s.Server.ZonesFolder, "--geoip", s.Server.ZonesFolder], local, errors));
        Assert.Contains("Choice:      a", local.ToString(), StringComparison.Ordinal);
        Assert.Contains("as the checks start (initial)", local.ToString(), StringComparison.Ordinal);

        // An unreachable server is a clear error, exit 1.
        int port = StandInLb.FreePort(System.Net.IPAddress.Loopback);
        var failed = new StringWriter();
        Assert.Equal(1, ExplainCommand.Run(["www.example.com", "--zones", s.Server.ZonesFolder, "--server", $"127.0.0.1:{port}"], new StringWriter(), failed));
        Assert.Contains($"cannot read health from http://127.0.0.1:{port}/", failed.ToString(), StringComparison.Ordinal);
    }
}
