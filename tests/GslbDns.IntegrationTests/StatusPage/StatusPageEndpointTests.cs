using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using GslbDns.Api;
using static GslbDns.IntegrationTests.Api.ApiScenario;

namespace GslbDns.IntegrationTests.StatusPage;

/// <summary>The page's files as the API listener serves them, and <c>GET /api/v1/changes</c>, over plain HTTP.</summary>
public sealed partial class StatusPageEndpointTests
{
    [Fact]
    public async Task Page_IsServedFromTheBinary_AndLoadsNothingFromElsewhere()
    {
        await using var s = await StartAsync(withTokens: false);
        using var client = Client();
        using var page = await client.GetAsync(s.Api);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal(StatusPageEndpoints.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        string html = await page.Content.ReadAsStringAsync();

        var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(["/ui/status.css", "/ui/page.js", "/ui/world.js", "/ui/map.js", "/ui/services.js", "/ui/status.js"], assets);
        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(new Uri(s.Api, asset));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string text = await response.Content.ReadAsStringAsync();
            // The only absolute URL is the SVG namespace, which names and fetches nothing.
            Assert.DoesNotContain(AbsoluteUrl().Matches(text).Select(m => m.Value), u => u != "http://www.w3.org/2000/svg");
        }
        Assert.Empty(AbsoluteUrl().Matches(html));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(s.Api, "/ui/index.html"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(s.Api, "/ui/nothing.js"))).StatusCode);
        // The API behind it is where it was.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(s.Api, "/api/v1/status"))).StatusCode);
    }

    [Fact]
    public async Task Changes_ListDrainsNewestFirst_WithTheToken_AndRejectABadLimit()
    {
        await using var s = await StartAsync();
        using var ops = Client(OpsSecret);
        Assert.Equal(HttpStatusCode.OK, (await s.AdminAsync(ops, "eu", "drain")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.AdminAsync(ops, "eu", "undrain")).StatusCode);

        using var client = Client();
        var document = JsonSerializer.Deserialize(await client.GetStringAsync(new Uri(s.Api, "/api/v1/changes")),
            ChangesJsonContext.Default.ChangesDocument)!;
        Assert.Equal([("api-drain", "www.example.com", "eu", "drained", "active", "ops"), ("api-drain", "www.example.com", "eu", "active", "drained", "ops")],
            document.Changes.Select(c => (c.Kind, c.Service, c.Region, c.From, c.To, c.Detail)));
        Assert.True(document.Changes[0].Sequence > document.Changes[1].Sequence);

        var one = JsonSerializer.Deserialize(await client.GetStringAsync(new Uri(s.Api, "/api/v1/changes?limit=1")),
            ChangesJsonContext.Default.ChangesDocument)!;
        Assert.Equal("active", Assert.Single(one.Changes).To);
        var (status, error) = await ErrorOf(await client.GetAsync(new Uri(s.Api, "/api/v1/changes?limit=0")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("limit must be a whole number from 1 to 200, found '0'", error);
    }

    [Fact]
    public async Task Status_GivesEachRegionsAnswerSeries()
    {
        await using var s = await StartAsync(withTokens: false);
        for (int i = 0; i < 3; i++) Assert.Equal("eu", await s.SteeredAsync("10.1.0.0/24"));
        var document = await s.StatusAsync();
        var www = document.Services.Single(x => x.Service == "www.example.com");
        Assert.Equal(5, www.AnswerSeriesSeconds);
        var eu = www.Regions.Single(r => r.Region == "eu");
        Assert.Equal(60, eu.AnswerSeries!.Count);
        Assert.Equal(3, eu.AnswerSeries.Sum());
        Assert.Equal(3, eu.AnswersLastMinute);
        Assert.Null(eu.Location);
    }

    [GeneratedRegex("""(?:src|href)="([^"]+)""")]
    private static partial Regex AssetReference();

    [GeneratedRegex("""https?://[^\s"'`)]+""")]
    private static partial Regex AbsoluteUrl();
}
