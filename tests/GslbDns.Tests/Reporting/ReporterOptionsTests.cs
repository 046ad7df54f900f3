using GslbDns.Commands;
using GslbDns.Reporting;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Tests.Reporting;

public sealed class ReporterOptionsTests
{
    private static readonly string[] Required =
        ["--to", "http://10.0.0.53:8053", "--service", "www.example.com", "--region", "eu", "--token-file", "/etc/gslbdns/report.token"];

    private static ReporterOptions Parse(params string[] extra)
    {
        Assert.True(ReporterOptions.TryParse([.. Required, .. extra], out var options, out var error), error);
        return options;
    }

    [Fact]
    public void Defaults_FiveSecondsTtlOfThreeIntervalsTwoSecondTimeout()
    {
        var options = Parse();
        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.Equal(15, options.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Timeout);
        Assert.False(options.Once);
        Assert.Equal([new Uri("http://10.0.0.53:8053")], options.Targets);
    }

    [Theory]
    [InlineData("5s", 5000, 15)]
    [InlineData("500ms", 500, 2)]
    [InlineData("2m", 120_000, 360)]
    [InlineData("7", 7000, 21)]
    [InlineData("30m", 1_800_000, 3600)]
    public void Interval_TakesUnitsOrBareSeconds_TtlFollows(string text, int milliseconds, int ttl)
    {
        var options = Parse("--interval", text);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.Interval);
        Assert.Equal(ttl, options.Ttl);
    }

    [Fact]
    public void ShortInterval_ShrinksTheDefaultTimeout_ExplicitTtlAndOptionsAreKept()
    {
        var options = Parse("--interval=500ms", "--ttl", "60", "--to", "https://dns2.example.net/gslb/", "--capacity", "5000",
            "--haproxy-stats", "/run/haproxy/admin.sock", "--haproxy-backend", "web", "--cgroup", "/sys/fs/cgroup/lb", "--once");
        Assert.Equal(TimeSpan.FromMilliseconds(500), Parse("--interval", "500ms").Timeout);
        Assert.Equal(60, options.Ttl);
        Assert.Equal(2, options.Targets.Count);
        Assert.Equal(5000, options.Capacity);
        Assert.Equal("/run/haproxy/admin.sock", options.HaproxyStats);
        Assert.Equal("web", options.HaproxyBackend);
        Assert.Equal("/sys/fs/cgroup/lb", options.Cgroup);
        Assert.True(options.Once);
    }

    [Fact]
    public void Endpoint_IsUnderTheBaseUrl_WithServiceAndRegionEscaped()
    {
        var options = Parse("--service", "www.example.com.");
        Assert.Equal("http://10.0.0.53:8053/api/v1/load/www.example.com/eu", options.EndpointOf(new Uri("http://10.0.0.53:8053")).ToString());
        Assert.Equal("https://dns2.example.net/gslb/api/v1/load/www.example.com/eu", options.EndpointOf(new Uri("https://dns2.example.net/gslb/")).ToString());
    }

    [Theory]
    [InlineData("--interval", "soon", "--interval 'soon'")]
    [InlineData("--interval", "50ms", "--interval '50ms'")]
    [InlineData("--timeout", "10s", "--timeout 10s is longer than --interval 5s")]
    [InlineData("--ttl", "3601", "--ttl '3601'")]
    [InlineData("--ttl", "0", "--ttl '0'")]
    [InlineData("--capacity", "-1", "--capacity '-1'")]
    [InlineData("--to", "10.0.0.53:8053", "not an http:// or https:// URL")]
    [InlineData("--haproxy-backend", "web", "--haproxy-backend needs --haproxy-stats")]
    [InlineData("--bogus", "x", "unknown option '--bogus'")]
    public async Task BadArguments_ExitTwo_WithTheReasonAndAUsageLine(string option, string value, string reason)
    {
        var stderr = new StringWriter();
        int code = await ReportCommand.RunAsync([.. Required, option, value], stderr, NullLoggerFactory.Instance, TimeProvider.System, "/", CancellationToken.None);
        Assert.Equal(2, code);
        var lines = stderr.ToString().Split('\n');
        Assert.StartsWith("gslbdns report: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(reason, lines[0], StringComparison.Ordinal);
        Assert.StartsWith("usage: gslbdns report --to URL", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--to")]
    [InlineData("--service")]
    [InlineData("--region")]
    [InlineData("--token-file")]
    public void MissingRequiredOption_ExitsTwo_ThroughTheVerb(string option)
    {
        var args = new List<string>(Required);
        int at = args.IndexOf(option);
        args.RemoveRange(at, 2);
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, CommandVerbs.TryRun(["report", .. args], stdout, stderr));
        Assert.Contains($"{option} is required", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: gslbdns report", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableTokenFile_ExitsOne_WithoutStarting()
    {
        var stderr = new StringWriter();
        string[] args = ["--to", "http://127.0.0.1:1", "--service", "www.example.com", "--region", "eu", "--token-file", "/nonexistent/report.token", "--once"];
        Assert.Equal(1, await ReportCommand.RunAsync(args, stderr, NullLoggerFactory.Instance, TimeProvider.System, "/", CancellationToken.None));
        Assert.Contains("--token-file /nonexistent/report.token", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_NamesTheVerb()
    {
        Assert.Contains("gslbdns report --to URL", GslbDns.Configuration.CommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportBody_LeavesOutUnknownFields_RoundsFractions()
    {
        var body = new ReportBody(0.123456, null, 4100, null, 15).ToJson();
        Assert.Equal("""{"cpu":0.1235,"connections":4100,"ttl":15}""", System.Text.Encoding.UTF8.GetString(body));
        Assert.False(new ReportBody(null, null, null, null, 15).HasLoad);
        Assert.False(new ReportBody(null, null, null, 5000, 15).HasLoad);
    }
}
