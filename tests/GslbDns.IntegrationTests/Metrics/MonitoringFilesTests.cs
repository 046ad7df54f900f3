using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Metrics;

/// <summary>
/// The shipped alert rules and Grafana dashboard: promtool accepts the rules and their unit tests
/// pass, and every metric they name is one a running server exposes (a renamed metric would leave an
/// alert that can never fire).
/// </summary>
public partial class MonitoringFilesTests
{
    private static string Alerts => RepositoryFiles.PathOf("deploy", "prometheus", "alerts.yaml");

    private static string AlertTests => RepositoryFiles.PathOf("deploy", "prometheus", "alerts.test.yaml");

    private static string Dashboard => RepositoryFiles.PathOf("deploy", "grafana", "gslbdns-dashboard.json");

    [MetricsTests.PromtoolFact]
    public async Task Promtool_ChecksTheRules_AndTheirUnitTestsPass()
    {
        var (checkExit, check) = await RunAsync("check", "rules", Alerts);
        Assert.True(checkExit == 0, check);
        Assert.Contains("SUCCESS", check, StringComparison.Ordinal);
        var (testExit, test) = await RunAsync("test", "rules", AlertTests);
        Assert.True(testExit == 0, test);
    }

    [Fact]
    public async Task EveryMetricTheRulesAndTheDashboardName_IsExposed()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", """
            $ORIGIN example.com.
            @ 300 SOA ns1 hostmaster 1 7200 900 1209600 300
            @ 300 NS ns1
            ns1 300 A 192.0.2.53
            """);
        var scrape = await MetricsScrape.GetAsync(server.ApiBase!);
        var families = FamilyLine().Matches(scrape.Text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in MetricName().Matches(await File.ReadAllTextAsync(Alerts))) named.Add(match.Value);
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Dashboard));
        int expressions = 0;
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                expressions++;
                foreach (Match match in MetricName().Matches(target.GetProperty("expr").GetString()!)) named.Add(match.Value);
            }
        }
        Assert.True(expressions > 10, "the dashboard has its panels");
        Assert.NotEmpty(named);
        foreach (var name in named)
        {
            string family = Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(families.Contains(name) || families.Contains(family), $"{name} is named by a rule or panel but not exposed");
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(MetricsTests.Promtool!, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [GeneratedRegex("^# TYPE (?<name>\\S+) ", RegexOptions.Multiline)]
    private static partial Regex FamilyLine();

    [GeneratedRegex("gslbdns_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
