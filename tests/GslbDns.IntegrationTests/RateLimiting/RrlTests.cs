using System.Net;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Metrics;
using GslbDns.IntegrationTests.Process;

namespace GslbDns.IntegrationTests.RateLimiting;

/// <summary>
/// Response rate limiting over real UDP from several loopback /24s (127.0.0.0/8 is all loopback on
/// Linux): a flood is cut to the limit with the slip ratio, its neighbours, TCP and cookie holders
/// are not, and log-only answers everything and says what it would have done.
/// </summary>
public class RrlTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        """;

    private const int Rate = 50;

    private static readonly IPAddress FloodSource = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Neighbour = IPAddress.Parse("127.0.1.1");

    private static Dictionary<string, string?> Limited(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Server:Rrl:ResponsesPerSecond"] = Rate.ToString(),
            ["Server:Rrl:Slip"] = "2",
        };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    /// <summary>What the limit lets through: one second's credit at start, plus the rate while the burst was being sent.</summary>
    private static double Allowed(RrlFlood flood) => Rate + Rate * Math.Floor(flood.SendSeconds + 1);

    [Fact]
    public async Task FloodFromOneBlock_IsCutToTheLimit_EverySecondLimitedReplySlips_NeighboursAreNot()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, Limited());
        var flood = await RrlFlood.SendAsync(server.Endpoint, FloodSource, 400);

        Assert.True(flood.SendSeconds < 1, $"the burst took {flood.SendSeconds:0.00} s to send; the machine is too busy to measure a rate");
        Assert.InRange(flood.Whole, Rate * 0.9, Allowed(flood) * 1.1);
        int limited = flood.Sent - flood.Whole;
        Assert.InRange(flood.Truncated, limited / 2 - 2, limited / 2 + 2);
        Assert.InRange(flood.Missing, limited / 2 - 2, limited / 2 + 2);

        // Another /24 has its own account: every reply whole.
        var neighbour = await RrlFlood.SendAsync(server.Endpoint, Neighbour, 40);
        Assert.Equal(40, neighbour.Whole);

        // TCP is never limited, from the flooding address either.
        for (int i = 0; i < 20; i++)
        {
            var reply = await server.Client.TcpAsync(new QueryBuilder().Build("ns1.example.com", 1));
            Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
            Assert.Single(reply.AnswerRecords);
        }

        var metrics = await MetricsScrape.GetAsync(server.ApiBase!);
        Assert.Equal(flood.Missing, metrics.Sum("gslbdns_rrl_limited_responses_total", ("action", "dropped")));
        Assert.Equal(flood.Truncated, metrics.Sum("gslbdns_rrl_limited_responses_total", ("action", "slipped")));
    }

    [Fact]
    public async Task ExemptNetworks_AreNotLimited()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, Limited(("Server:Rrl:Exempt:0", "127.0.0.0/24")));
        var flood = await RrlFlood.SendAsync(server.Endpoint, FloodSource, 300);
        Assert.Equal(300, flood.Whole);
    }

    [Fact]
    public async Task AValidServerCookie_IsNeverLimited_AStaleOneGetsBadCookie()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, Limited());
        // Learn a cookie over TCP (no limit there), then flood with it.
        var learned = await server.Client.TcpAsync(new QueryBuilder { EdnsPayload = 1232, Options = [(10, [1, 2, 3, 4, 5, 6, 7, 8])] }.Build("ns1.example.com", 1));
        var option = learned.EDnsOptions!.Options.OfType<CookieOption>().Single();
        byte[] cookie = [.. option.ClientCookie, .. option.ServerCookie];
        var withCookie = await RrlFlood.SendAsync(server.Endpoint, FloodSource, 300, builder: new QueryBuilder { EdnsPayload = 1232, Options = [(10, cookie)] });
        Assert.Equal(300, withCookie.Whole);

        // A cookie that does not verify (one bit off) is treated as none: limited, and told BADCOOKIE with a fresh cookie.
        var stale = (byte[])cookie.Clone();
        stale[^1] ^= 1;
        var withStale = await RrlFlood.SendAsync(server.Endpoint, FloodSource, 300, builder: new QueryBuilder { EdnsPayload = 1232, Options = [(10, stale)] });
        Assert.InRange(withStale.Whole, Rate * 0.9, Allowed(withStale) * 1.1);
        Assert.Equal(withStale.Sent - withStale.Whole, withStale.BadCookie);
    }

    [Fact]
    public async Task NxdomainsAndErrors_HaveTheirOwnRates()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, Limited(
            ("Server:Rrl:NxdomainsPerSecond", "10"), ("Server:Rrl:ErrorsPerSecond", "5"), ("Server:Rrl:Slip", "0")));
        // Different names in one zone share the zone's NXDOMAIN account; slip 0 drops every limited reply.
        var nx = await RrlFlood.SendAsync(server.Endpoint, FloodSource, 200, "nope.example.com");
        Assert.InRange(nx.Whole, 9, 10 * Math.Floor(nx.SendSeconds + 1) + 10 + 2);
        Assert.Equal(0, nx.Truncated);
        var refused = await RrlFlood.SendAsync(server.Endpoint, Neighbour, 200, "www.elsewhere.test");
        Assert.InRange(refused.Whole, 4, 5 * Math.Floor(refused.SendSeconds + 1) + 5 + 2);
        // Answers are a class of their own: the block is not limited for them.
        Assert.Equal(30, (await RrlFlood.SendAsync(server.Endpoint, Neighbour, 30)).Whole);
    }

    [Fact]
    public async Task LogOnly_AnswersEverything_AndLogsWhatItWouldLimit()
    {
        var zones = TempFolder.Create();
        await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), Zone);
        int port = CommandLineTests.FreePort();
        using var process = ServerProcess.Start("--zones", zones, "--listen", $"127.0.0.1:{port}", "--api-listen", "none", "--no-watch",
            "--rrl-responses-per-second", Rate.ToString(), "--rrl-log-only");
        await process.WaitForOutputAsync("Response rate limiting: 50/s per client block (/24, /56)");
        await process.WaitForOutputAsync($"127.0.0.1:{port}");
        var flood = await RrlFlood.SendAsync(new IPEndPoint(IPAddress.Loopback, port), FloodSource, 300);
        Assert.Equal(300, flood.Whole);
        await process.WaitForOutputAsync("Rate limit would limit responses to 127.0.0.0/24 (Answer, e.g. ns1.example.com.)");
    }

    [Theory]
    [InlineData("--rrl-slip", "11")]
    [InlineData("--rrl-prefix-v4", "33")]
    [InlineData("--rrl-window", "0")]
    [InlineData("--rrl-exempt", "10.0.0.0/33")]
    [InlineData("--rrl-responses-per-second", "-1")]
    public async Task BadRrlOptions_ExitWithAReason(string option, string value)
    {
        using var process = ServerProcess.Start("--zones", TempFolder.Create(), "--listen", "127.0.0.1:0", option, value);
        Assert.NotEqual(0, await process.WaitForExitAsync());
        Assert.Contains("Rrl:", process.Stderr, StringComparison.Ordinal);
    }
}
