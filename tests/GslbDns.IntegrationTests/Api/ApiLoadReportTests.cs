using System.Net;
using GslbDns.IntegrationTests.Reloading;
using static GslbDns.IntegrationTests.Api.ApiScenario;

namespace GslbDns.IntegrationTests.Api;

/// <summary><c>POST /api/v1/load/{service}/{region}</c> over real HTTP: each answer, the order of the checks, expiry, concurrency.</summary>
public sealed class ApiLoadReportTests
{
    [Fact]
    public async Task Report_Is204_AndStatusShowsItWithItsAgeAndSource()
    {
        await using var s = await StartAsync();
        using var eu = Client(EuSecret);
        var response = await s.ReportAsync(eu, "eu", """{"cpu":0.72,"memory":0.55,"connections":4100,"capacity":5000,"ttl":15}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var region = await s.RegionAsync("eu");
        Assert.True(region.Load.Known);
        Assert.Equal(0.82, region.Load.Ratio);
        var report = region.Load.Report!;
        Assert.Equal(0.72, report.Cpu);
        Assert.Equal(0.55, report.Memory);
        Assert.Equal(4100, report.Connections);
        Assert.Equal(5000, report.Capacity);
        Assert.True(report.Valid);
        Assert.Equal("valid", report.State);
        Assert.Equal("api eu-lb", report.Source);
        Assert.InRange(report.AgeSeconds, 0, 15);
        // 0.82 between shed start 0.80 and full 0.95.
        Assert.InRange(region.Load.ShedShare, 0.13, 0.14);
        Assert.Null((await s.RegionAsync("us")).Load.Report);
    }

    [Fact]
    public async Task EachRefusal_HasItsStatusAndReason_AndChangesNothing()
    {
        await using var s = await StartAsync();
        using var none = Client();
        using var wrong = Client("not-a-configured-secret-at-all");
        using var eu = Client(EuSecret);
        const string Good = """{"cpu":0.5}""";

        var noToken = await s.ReportAsync(none, "eu", Good);
        Assert.Equal((HttpStatusCode.Unauthorized, "no token: send the header 'Authorization: Bearer SECRET'"), await ErrorOf(noToken));
        Assert.Equal("Bearer", noToken.Headers.WwwAuthenticate.Single().Scheme);
        var badToken = await s.ReportAsync(wrong, "eu", Good);
        Assert.Equal((HttpStatusCode.Unauthorized, "the token is not valid (not in the tokens file)"), await ErrorOf(badToken));
        Assert.Equal("Bearer", badToken.Headers.WwwAuthenticate.Single().Scheme);

        Assert.Equal((HttpStatusCode.NotFound, "no steered service nope.example.com is served"),
            await ErrorOf(await s.ReportAsync(eu, "eu", Good, service: "nope.example.com")));
        Assert.Equal((HttpStatusCode.NotFound, "service www.example.com has no region 'ap' (its regions: eu, us)"),
            await ErrorOf(await s.ReportAsync(eu, "ap", Good)));
        Assert.Equal((HttpStatusCode.Forbidden, "token 'eu-lb' may not report load for www.example.com/us (it may for: www.example.com/eu)"),
            await ErrorOf(await s.ReportAsync(eu, "us", Good)));

        var url = new Uri(s.Api, "/api/v1/load/www.example.com/eu");
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "the body must be JSON: send 'Content-Type: application/json' (got 'text/plain')"),
            await ErrorOf(await eu.PostAsync(url, Json(Good, "text/plain"))));
        var tooLarge = "{\"cpu\":0.5" + new string(' ', 5000) + "}";
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "the body is larger than 4096 bytes; a load report is a small JSON object"),
            await ErrorOf(await s.ReportAsync(eu, "eu", tooLarge)));

        Assert.Equal((HttpStatusCode.BadRequest, "the body is not valid JSON (line 1, byte 11)"), await ErrorOf(await s.ReportAsync(eu, "eu", """{"cpu":0.5""")));
        Assert.Equal((HttpStatusCode.BadRequest, "unknown field 'cpus'; a report has: cpu, memory, connections, capacity, ttl"),
            await ErrorOf(await s.ReportAsync(eu, "eu", """{"cpus":0.5}""")));
        Assert.Equal((HttpStatusCode.BadRequest, "cpu must be a number from 0 to 1, found a string"),
            await ErrorOf(await s.ReportAsync(eu, "eu", """{"cpu":"0.5"}""")));
        Assert.Equal((HttpStatusCode.BadRequest, "memory must be a fraction from 0 to 1 (0.72 for 72%), found 1.2"),
            await ErrorOf(await s.ReportAsync(eu, "eu", """{"memory":1.2}""")));
        Assert.Equal((HttpStatusCode.BadRequest, "ttl must be whole seconds from 1 to 3600, found 0"),
            await ErrorOf(await s.ReportAsync(eu, "eu", """{"cpu":0.5,"ttl":0}""")));
        Assert.Equal((HttpStatusCode.BadRequest, "the report has none of cpu, memory, connections; give at least one"),
            await ErrorOf(await s.ReportAsync(eu, "eu", """{"capacity":10}""")));

        // With charset the content type is still JSON; none of the refused reports was applied.
        Assert.Null((await s.RegionAsync("eu")).Load.Report);
        Assert.Null((await s.RegionAsync("us")).Load.Report);
        Assert.Equal(HttpStatusCode.NoContent, (await eu.PostAsync(url, Json(Good, "application/json"))).StatusCode);
        Assert.Equal(0.5, (await s.RegionAsync("eu")).Load.Report!.Cpu);
    }

    [Fact]
    public async Task Checks_RunInOrder_401_404_403_415_413_400()
    {
        await using var s = await StartAsync();
        using var none = Client();
        using var eu = Client(EuSecret);
        var url = (string region) => new Uri(s.Api, $"/api/v1/load/www.example.com/{region}");
        var huge = new string('x', 5000);

        // No token: 401 even for a region that does not exist, with a body that is neither JSON nor small.
        Assert.Equal(HttpStatusCode.Unauthorized, (await none.PostAsync(url("xx"), Json(huge, "text/plain"))).StatusCode);
        // Token, unknown region: 404 before the token's patterns are looked at.
        Assert.Equal(HttpStatusCode.NotFound, (await eu.PostAsync(url("xx"), Json(huge, "text/plain"))).StatusCode);
        // Region the token may not touch: 403 before the body.
        Assert.Equal(HttpStatusCode.Forbidden, (await eu.PostAsync(url("us"), Json(huge, "text/plain"))).StatusCode);
        // Allowed: the content type, then the size, then the JSON.
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await eu.PostAsync(url("eu"), Json(huge, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await eu.PostAsync(url("eu"), Json(huge))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await eu.PostAsync(url("eu"), Json("x"))).StatusCode);
    }

    [Fact]
    public async Task WildcardServiceToken_ReportsForEu_ButNotForUs()
    {
        await using var s = await StartAsync();
        using var anyEu = Client(AnyEuSecret);
        Assert.Equal(HttpStatusCode.NoContent, (await s.ReportAsync(anyEu, "eu", """{"connections":100}""")).StatusCode);
        Assert.Equal("api any-eu", (await s.RegionAsync("eu")).Load.Report!.Source);
        Assert.Equal((HttpStatusCode.Forbidden, "token 'any-eu' may not report load for www.example.com/us (it may for: */eu)"),
            await ErrorOf(await s.ReportAsync(anyEu, "us", """{"connections":100}""")));
        // The service is a DNS name: case and a trailing dot do not matter.
        Assert.Equal(HttpStatusCode.NoContent, (await s.ReportAsync(Client(EuSecret), "eu", """{"cpu":0.1}""", service: "WWW.Example.com.")).StatusCode);
    }

    [Fact]
    public async Task WithoutTokensFile_WritesAre401_AndStatusStillWorks()
    {
        await using var s = await StartAsync(withTokens: false);
        using var ops = Client(OpsSecret);
        const string Reason = "no API tokens are configured on this server (start it with --api-tokens FILE); write requests are refused";
        var report = await s.ReportAsync(ops, "eu", """{"cpu":0.5}""");
        Assert.Equal((HttpStatusCode.Unauthorized, Reason), await ErrorOf(report));
        Assert.Equal("Bearer", report.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal((HttpStatusCode.Unauthorized, Reason), await ErrorOf(await s.AdminAsync(ops, "eu", "drain")));
        var status = await s.StatusAsync();
        Assert.Equal(["eu", "us"], status.Services.Single().Regions.Select(r => r.Region));
        Assert.Equal("active", status.Services.Single().Regions[0].Admin);
    }

    [Fact]
    public async Task ReportPastItsTtl_IsShownExpired_AndSteeringLoadIsUnknown()
    {
        await using var s = await StartAsync();
        using var eu = Client(EuSecret);
        Assert.Equal(HttpStatusCode.NoContent, (await s.ReportAsync(eu, "eu", """{"cpu":0.9,"ttl":1}""")).StatusCode);
        // The report reads expired from the moment its ttl passes; steering lets go of it when the
        // expiry timer has rebuilt the table, a moment later on a busy machine: wait for both.
        await Poll.UntilAsync(async () => (await s.RegionAsync("eu")).Load is { Report.Valid: false, Known: false }, "the report to expire");
        var region = await s.RegionAsync("eu");
        Assert.Equal("expired", region.Load.Report!.State);
        Assert.Equal(0.9, region.Load.Report.Cpu);
        Assert.False(region.Load.Known);
        Assert.Null(region.Load.Ratio);
        Assert.Equal(0, region.Load.ShedShare);
        Assert.True(region.Load.Report.AgeSeconds >= 1);
    }

    [Fact]
    public async Task TenThousandReportsFrom16Clients_AreAllApplied_WhileDnsKeepsAnswering()
    {
        await using var s = await StartAsync();
        const int Clients = 16, PerClient = 625;
        using var stop = new CancellationTokenSource();
        int dnsAnswers = 0;
        var dns = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal("eu", await s.SteeredAsync("10.1.0.0/24"));
                Interlocked.Increment(ref dnsAnswers);
            }
        });
        var statuses = await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            using var client = Client(OpsSecret);
            var codes = new List<HttpStatusCode>();
            for (int i = 0; i < PerClient; i++)
            {
                string region = c % 2 == 0 ? "eu" : "us";
                using var response = await s.ReportAsync(client, region, $$"""{"connections":{{c * PerClient + i}},"capacity":1000000}""");
                codes.Add(response.StatusCode);
            }
            return codes;
        })));
        stop.Cancel();
        await dns;
        Assert.Equal(Clients * PerClient, statuses.Sum(c => c.Count));
        Assert.All(statuses.SelectMany(c => c), code => Assert.Equal(HttpStatusCode.NoContent, code));
        Assert.True(dnsAnswers > 0, "no DNS answer during the reports");

        // The last report each region got: one more, sent after all others, is what status shows.
        using var ops = Client(OpsSecret);
        Assert.Equal(HttpStatusCode.NoContent, (await s.ReportAsync(ops, "eu", """{"connections":3000,"capacity":5000}""")).StatusCode);
        var eu = await s.RegionAsync("eu");
        Assert.Equal(3000, eu.Load.Report!.Connections);
        Assert.Equal(0.6, eu.Load.Ratio);
        var us = await s.RegionAsync("us");
        Assert.InRange(us.Load.Report!.Connections!.Value, 0, Clients * PerClient - 1);
        Assert.Equal(1000000, us.Load.Report.Capacity);
        Assert.Equal("eu", await s.SteeredAsync("10.1.0.0/24"));
    }
}
