using System.Text.Json;
using System.Diagnostics;
using GslbDns.Commands;
using GslbDns.Reporting;
using GslbDns.Tests.Load;
using Microsoft.Extensions.Logging;

namespace GslbDns.IntegrationTests.Reporting;

/// <summary><c>gslbdns report</c> in process against real HTTP listeners and stats sockets.</summary>
public sealed class ReporterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gslbdns-report-").FullName;
    private readonly RecordingLoggerProvider _log = new();
    private readonly ILoggerFactory _loggers;

    public ReporterTests()
    {
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(_log));
        File.WriteAllText(TokenPath, "\n  s3cret  \nsecond line ignored\n");
    }

    public void Dispose()
    {
        _loggers.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string TokenPath => Path.Combine(_folder, "report.token");

    private string[] Args(params string[] extra) =>
        ["--service", "www.example.com", "--region", "eu", "--token-file", TokenPath, .. extra];

    private Task<int> Run(string[] args, CancellationToken stopping = default) =>
        Task.Run(() => ReportCommand.RunAsync(args, TextWriter.Null, _loggers, TimeProvider.System, "/", stopping));

    private static JsonElement Json(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task Reports_ReachTheLiveServer_AndKeepComingWhileTheOtherIsDown_WhichIsLoggedOnce()
    {
        await using var live = await RecordingApi.StartAsync();
        var dead = new Uri($"http://127.0.0.1:{Eventually.DeadPort()}");
        using var stop = new CancellationTokenSource();
        var run = Run(Args("--to", live.BaseUrl.ToString(), "--to", dead.ToString(), "--interval", "500ms"), stop.Token);

        Assert.True(await Eventually.HoldsAsync(() => live.Requests.Count >= 5), $"{live.Requests.Count} report(s) arrived");
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));

        foreach (var request in live.Requests)
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("/api/v1/load/www.example.com/eu", request.Path);
            Assert.Equal("Bearer s3cret", request.Authorization);
            Assert.Equal("application/json", request.ContentType);
            var body = Json(request);
            Assert.InRange(body.GetProperty("cpu").GetDouble(), 0, 1);
            Assert.InRange(body.GetProperty("memory").GetDouble(), 0, 1);
            Assert.Equal(2, body.GetProperty("ttl").GetInt32());
            Assert.False(body.TryGetProperty("connections", out _));
        }
        string deadName = dead.ToString().TrimEnd('/');
        Assert.Equal(1, _log.Count(1902, deadName));
        Assert.Contains(_log.Entries, e => e.EventId == 1902 && e.Message.Contains("ConnectionRefused", StringComparison.Ordinal));
        Assert.Equal(1, _log.Count(1901, live.BaseUrl.ToString().TrimEnd('/')));
        Assert.Equal(0, _log.Count(1902, live.BaseUrl.ToString().TrimEnd('/')));
        Assert.Equal(1, _log.Count(1911, "Stopped"));
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Once_ReportsToEveryServer_ExitsZeroWhenAllAccept()
    {
        await using var first = await RecordingApi.StartAsync();
        await using var second = await RecordingApi.StartAsync();
        int code = await Run(Args("--to", first.BaseUrl.ToString(), "--to", second.BaseUrl.ToString(), "--once", "--ttl", "42", "--capacity", "5000"));
        Assert.Equal(0, code);
        var request = Assert.Single(first.Requests);
        Assert.Single(second.Requests);
        Assert.Equal(request.Body, second.Requests.Single().Body);
        Assert.Equal(42, Json(request).GetProperty("ttl").GetInt32());
        Assert.Equal(5000, Json(request).GetProperty("capacity").GetInt64());
        Assert.True(Json(request).TryGetProperty("cpu", out _), request.Body);
    }

    [Fact]
    public async Task ARejection_IsLoggedWithTheServersReason_NotRetried_AndOnceExitsOne()
    {
        await using var api = await RecordingApi.StartAsync();
        api.Answer = _ => (400, """{"error":"x"}""", "application/json");
        int code = await Run(Args("--to", api.BaseUrl.ToString(), "--once"));
        Assert.Equal(1, code);
        Assert.Single(api.Requests);
        var entry = Assert.Single(_log.Entries, e => e.EventId == 1904);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("rejected with 400: x;", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectionRepeated_IsLoggedOnce_WhileAServerErrorIsRetriedWithinTheInterval()
    {
        await using var rejecting = await RecordingApi.StartAsync();
        rejecting.Answer = _ => (403, """{"error":"token not allowed for www.example.com"}""", "application/json");
        await using var failing = await RecordingApi.StartAsync();
        int calls = 0;
        failing.Answer = _ => Interlocked.Increment(ref calls) <= 2 ? (503, "overloaded", "text/plain") : (204, "", "");
        using var stop = new CancellationTokenSource();
        var run = Run(Args("--to", rejecting.BaseUrl.ToString(), "--to", failing.BaseUrl.ToString(), "--interval", "4s"), stop.Token);

        Assert.True(await Eventually.HoldsAsync(() => _log.Count(1903, failing.BaseUrl.ToString().TrimEnd('/')) == 1), "recovery logged");
        Assert.True(await Eventually.HoldsAsync(() => rejecting.Requests.Count >= 2), "second report to the rejecting server");
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));

        // The 503s were retried after a pause, well before the next report was due.
        Assert.True(failing.Requests.Count >= 3);
        Assert.Equal(1, _log.Count(1902, "HTTP 503: overloaded"));
        Assert.Equal(1, _log.Count(1904, "token not allowed for www.example.com"));
    }

    [Fact]
    public async Task ARotatedToken_IsSentWithoutARestart()
    {
        await using var api = await RecordingApi.StartAsync();
        using var stop = new CancellationTokenSource();
        var run = Run(Args("--to", api.BaseUrl.ToString(), "--interval", "300ms"), stop.Token);
        Assert.True(await Eventually.HoldsAsync(() => !api.Requests.IsEmpty));

        string next = TokenPath + ".new";
        File.WriteAllText(next, "rotated\n");
        File.Move(next, TokenPath, overwrite: true);
        Assert.True(await Eventually.HoldsAsync(() => api.Requests.Any(r => r.Authorization == "Bearer rotated")));
        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, _log.Count(1909, "report.token"));
    }

    [Fact]
    public async Task HaproxyStats_FromAUnixSocket_GiveTheBackendsConnectionsAndCapacity()
    {
        await using var api = await RecordingApi.StartAsync();
        using var socket = new FakeStatsSocket(Path.Combine(_folder, "stats.sock"), HaproxySample.Csv);
        int code = await Run(Args("--to", api.BaseUrl.ToString(), "--once", "--haproxy-stats", socket.Path, "--haproxy-backend", "api"));
        Assert.Equal(0, code);
        var body = Json(Assert.Single(api.Requests));
        Assert.Equal(240, body.GetProperty("connections").GetInt64());
        Assert.Equal(500, body.GetProperty("capacity").GetInt64());
        Assert.Equal(["show stat\n"], socket.Commands);
    }

    [Fact]
    public async Task HaproxyStats_FromTheStatsPage_AsksForCsv_CapacityOptionFillsTheUnknown()
    {
        await using var api = await RecordingApi.StartAsync();
        api.Answer = r => r.Method == "GET" ? (200, HaproxySample.Csv, "text/csv") : (204, "", "");
        var stats = new Uri(api.BaseUrl, "/stats").ToString();
        int code = await Run(Args("--to", api.BaseUrl.ToString(), "--once", "--haproxy-stats", stats, "--haproxy-backend", "app", "--capacity", "400"));
        Assert.Equal(0, code);
        Assert.Equal("/stats;csv", api.Requests.Single(r => r.Method == "GET").Path);
        var body = Json(api.Requests.Single(r => r.Method == "POST"));
        Assert.Equal(57, body.GetProperty("connections").GetInt64());
        Assert.Equal(400, body.GetProperty("capacity").GetInt64());
    }

    [Fact]
    public async Task UnreadableStats_AreLogged_AndTheReportGoesOutWithoutConnections()
    {
        await using var api = await RecordingApi.StartAsync();
        int code = await Run(Args("--to", api.BaseUrl.ToString(), "--once", "--haproxy-stats", Path.Combine(_folder, "absent.sock")));
        Assert.Equal(0, code);
        var body = Json(Assert.Single(api.Requests));
        Assert.False(body.TryGetProperty("connections", out _));
        Assert.Equal(1, _log.Count(1906, "absent.sock"));
    }

    [HaproxyFact]
    public async Task RealHaproxy_StatsSocket_IsRead()
    {
        string socketPath = Path.Combine(_folder, "haproxy.sock");
        string config = Path.Combine(_folder, "haproxy.cfg");
        File.WriteAllText(config, $"""
            global
                stats socket {socketPath} mode 600 level user
            defaults
                mode http
                timeout connect 1s
                timeout client 5s
                timeout server 5s
            backend web
                server web1 127.0.0.1:{Eventually.DeadPort()} maxconn 10
                server web2 127.0.0.1:{Eventually.DeadPort()} maxconn 20
                server web3 127.0.0.1:{Eventually.DeadPort()} maxconn 40 disabled
            backend other
                server o1 127.0.0.1:{Eventually.DeadPort()} maxconn 99

            """);
        using var haproxy = System.Diagnostics.Process.Start(new ProcessStartInfo(HaproxyFactAttribute.Binary, ["-db", "-f", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            Assert.True(await Eventually.HoldsAsync(() => File.Exists(socketPath) || haproxy.HasExited), "stats socket created");
            if (haproxy.HasExited) Assert.Fail($"haproxy exited: {await haproxy.StandardError.ReadToEndAsync()}");

            using var http = new HttpClient();
            var source = new HaproxyStatsSource(socketPath, "web", http, TimeProvider.System, TimeSpan.FromSeconds(5));
            Assert.Equal(new GslbDns.Load.HaproxyLoad(0, 30, 2, 3), await source.ReadAsync(CancellationToken.None));

            await using var api = await RecordingApi.StartAsync();
            Assert.Equal(0, await Run(Args("--to", api.BaseUrl.ToString(), "--once", "--haproxy-stats", socketPath, "--haproxy-backend", "web")));
            var body = Json(Assert.Single(api.Requests));
            Assert.Equal(0, body.GetProperty("connections").GetInt64());
            Assert.Equal(30, body.GetProperty("capacity").GetInt64());
        }
        finally
        {
            if (!haproxy.HasExited) haproxy.Kill();
            await haproxy.WaitForExitAsync();
        }
    }

    /// <summary>Runs only where Debian's haproxy package is installed.</summary>
    private sealed class HaproxyFactAttribute : FactAttribute
    {
        public const string Binary = "/usr/sbin/haproxy";

        public HaproxyFactAttribute()
        {
            if (!File.Exists(Binary)) Skip = $"{Binary} is not installed (apt-get install haproxy)";
        }
    }
}
