using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Health;
using GslbDns.IntegrationTests.Reloading;
using GslbDns.IntegrationTests.Steering;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace GslbDns.IntegrationTests.StatusPage;

/// <summary>
/// The status page in a real browser against a real server whose health checks probe real
/// listeners: what it shows, that it follows the server without a reload, drains with a pasted
/// token, and says so when the server is gone. Skipped where Chromium or its driver is missing.
/// </summary>
public sealed class StatusPageBrowserTests(ITestOutputHelper output)
{
    /// <summary>Generous: two busy cores run the server, the LBs, the browser and the test.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [StatusPageFact]
    public async Task Page_ShowsTheRegions_FollowsALbGoingDownWithoutReload_DrainsWithAToken_AndShowsTheServerGone()
    {
        await using var s = await StatusPageScenario.StartAsync();
        await Poll.UntilAsync(async () => (await s.RegionAsync("us")).Addresses.All(a => a.LastResult == "HTTP 200")
            && (await s.RegionAsync("eu")).Addresses.All(a => a.LastResult == "HTTP 200"), "every LB answered a probe", Deadline);
        await s.ReportLoadAsync("eu", StatusPageScenario.EuSecret, """{"cpu":0.72,"memory":0.55,"connections":4400,"capacity":5000}""");
        for (int i = 0; i < 12; i++) await Ecs.QueryAsync(s.Server!.Client, "www.example.com", RecordType.A, $"10.{i}.0.0/16");
        for (int i = 0; i < 20; i++) await Ecs.QueryAsync(s.Server!.Client, "www.example.com", RecordType.A, $"192.0.{i}.0/24");

        string profile = Infrastructure.TempFolder.Create();
        using var browser = Chromium.Start(profile);
        try
        {
            browser.Navigate().GoToUrl(s.Page);
            await UntilAsync(browser, "both regions up on the page", () =>
                Attr(browser, "section[data-service='www.example.com'] tbody[data-region='eu']", "data-state") == "up"
                && Attr(browser, "section[data-service='www.example.com'] tbody[data-region='us']", "data-state") == "up");

            // Services, regions, addresses, health as text, load against the thresholds, map markers.
            var card = browser.FindElement(By.CssSelector("section[data-service='www.example.com']"));
            Assert.Contains("www.example.com", card.FindElement(By.TagName("h2")).Text, StringComparison.Ordinal);
            Assert.Equal("up", Region(browser, "eu").FindElement(By.CssSelector("tr.region-row .pill")).Text);
            Assert.Equal(["127.0.0.11", "127.0.0.12"], Addresses(browser, "eu"));
            Assert.Equal(["127.0.0.21"], Addresses(browser, "us"));
            Assert.Contains("last probe HTTP 200 in", AddressRow(browser, "us", "127.0.0.21").Text, StringComparison.Ordinal);
            Assert.Equal("0.88", Attr(browser, "tbody[data-region='eu'] .loadbar", "data-ratio"));
            Assert.Contains("shedding 53%", Region(browser, "eu").FindElement(By.CssSelector(".load-text")).Text, StringComparison.Ordinal);
            Assert.Equal("up", Attr(browser, "#map g.place[data-regions~='www.example.com/eu']", "data-state"));
            Assert.Equal("up", Attr(browser, "#map g.place[data-regions~='www.example.com/us']", "data-state"));
            Assert.Equal("true", Attr(browser, "section[data-service='www.example.com'] .chart svg", "data-bars"));
            Assert.False(browser.FindElement(By.Id("unreachable")).Displayed);
            Assert.DoesNotContain(browser.FindElements(By.CssSelector("button.drain")), b => b.Displayed);

            // Marks this page load: a reload would lose both.
            object? loadedAt = browser.ExecuteScript("return window.gslbStatusPage.loadedAt;");
            Assert.NotNull(loadedAt);
            browser.ExecuteScript("window.statusPageMarker = 'same page';");

            s.LbUs.Set(LbMode.Stopped);
            await UntilAsync(browser, "us down on the page, in its row and on the map", () =>
                Attr(browser, "tbody[data-region='us']", "data-health") == "down"
                && Attr(browser, "tbody[data-region='us'] tr[data-address='127.0.0.21']", "data-verdict") == "down"
                && Attr(browser, "#map g.place[data-regions~='www.example.com/us']", "data-state") == "down");
            Assert.Equal("down", Region(browser, "us").FindElement(By.CssSelector("tr.region-row .pill")).Text);
            Assert.Contains("connect refused", AddressRow(browser, "us", "127.0.0.21").Text, StringComparison.Ordinal);
            Assert.Equal("up", Attr(browser, "tbody[data-region='eu']", "data-health"));
            AssertSamePage(browser, loadedAt);
            await UntilAsync(browser, "the transition in the change list", () => ChangeRows(browser, "health")
                .Any(t => t.Contains("www.example.com/us 127.0.0.21", StringComparison.Ordinal) && t.Contains("up → down", StringComparison.Ordinal)
                    && t.Contains("connect refused", StringComparison.Ordinal)));

            // The operator pastes an admin token: drain buttons appear, and drain calls the API.
            browser.FindElement(By.Id("token")).SendKeys(StatusPageScenario.OpsSecret);
            browser.FindElement(By.Id("token-use")).Click();
            var drain = Region(browser, "us").FindElement(By.CssSelector("button.drain"));
            await UntilAsync(browser, "a drain button for us", () => drain.Displayed && drain.Text == "Drain");
            drain.Click();
            await UntilAsync(browser, "the drain's answer shown", () =>
                browser.FindElement(By.Id("action-message")).Text.StartsWith("www.example.com/us: drain", StringComparison.Ordinal));
            var us = await s.RegionAsync("us");
            Assert.Equal("drain", us.Admin);
            Assert.True(us.AdminSources.Api);
            await UntilAsync(browser, "us drained on the page and in the change list", () =>
                Attr(browser, "tbody[data-region='us']", "data-admin") == "drain"
                && ChangeRows(browser, "api-drain").Any(t => t.Contains("active → drained", StringComparison.Ordinal) && t.Contains("ops", StringComparison.Ordinal)));
            await UntilAsync(browser, "an undrain button for us", () => Region(browser, "us").FindElement(By.CssSelector("button.drain")).Text == "Undrain");
            SaveScreenshot(browser);

            // A token that may report load but not drain: the API's refusal is shown, nothing changes.
            browser.FindElement(By.Id("token-forget")).Click();
            browser.FindElement(By.Id("token")).SendKeys(StatusPageScenario.EuSecret + Keys.Enter);
            Region(browser, "us").FindElement(By.CssSelector("button.drain")).Click();
            await UntilAsync(browser, "the 403 shown", () => browser.FindElement(By.Id("action-message")).Text.Contains(
                "HTTP 403: token 'eu-lb' may not undrain regions (it needs 'admin: true' in the tokens file)", StringComparison.Ordinal));
            browser.FindElement(By.Id("token-forget")).Click();
            browser.FindElement(By.Id("token")).SendKeys("not-a-token-of-this-server" + Keys.Enter);
            Region(browser, "us").FindElement(By.CssSelector("button.drain")).Click();
            await UntilAsync(browser, "the 401 shown", () => browser.FindElement(By.Id("action-message")).Text.EndsWith(
                "HTTP 401: the token is not valid (not in the tokens file)", StringComparison.Ordinal));
            Assert.Equal("drain", (await s.RegionAsync("us")).Admin);

            // The server goes away: a banner says so; it comes back: the banner goes, the same page carries on.
            await s.StopServerAsync();
            await UntilAsync(browser, "the unreachable banner", () =>
                browser.FindElement(By.Id("unreachable")).Displayed
                && browser.FindElement(By.Id("unreachable")).Text.StartsWith("Server unreachable since", StringComparison.Ordinal));
            AssertSamePage(browser, loadedAt);
            await s.StartServerAsync();
            await UntilAsync(browser, "the banner gone after the restart", () => !browser.FindElement(By.Id("unreachable")).Displayed);
            Assert.Equal("drain", Attr(browser, "tbody[data-region='us']", "data-admin"));
            AssertSamePage(browser, loadedAt);
        }
        catch
        {
            SaveScreenshot(browser, "status-page-failed.png");
            throw;
        }
        finally
        {
            browser.Quit();
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static IWebElement Region(ChromeDriver browser, string region) =>
        browser.FindElement(By.CssSelector($"section[data-service='www.example.com'] tbody[data-region='{region}']"));

    private static IWebElement AddressRow(ChromeDriver browser, string region, string address) =>
        Region(browser, region).FindElement(By.CssSelector($"tr[data-address='{address}']"));

    private static string[] Addresses(ChromeDriver browser, string region) =>
        Region(browser, region).FindElements(By.CssSelector("tr.address-row")).Select(r => r.GetAttribute("data-address")!).ToArray();

    private static string[] ChangeRows(ChromeDriver browser, string kind) =>
        browser.FindElements(By.CssSelector($"#changes tr[data-kind='{kind}']")).Select(r => r.Text).ToArray();

    /// <summary>An attribute read in the page (null when the element is not there yet).</summary>
    private static string? Attr(ChromeDriver browser, string selector, string attribute) =>
        browser.ExecuteScript("const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", selector, attribute) as string;

    private static void AssertSamePage(ChromeDriver browser, object? loadedAt)
    {
        Assert.Equal(loadedAt, browser.ExecuteScript("return window.gslbStatusPage.loadedAt;"));
        Assert.Equal("same page", browser.ExecuteScript("return window.statusPageMarker;"));
    }

    /// <summary>Polls the page until <paramref name="condition"/> holds; an element replaced between two reads counts as not yet.</summary>
    private static Task UntilAsync(ChromeDriver browser, string what, Func<bool> condition) =>
        Poll.UntilAsync(() =>
        {
            try
            {
                return Task.FromResult(condition());
            }
            catch (Exception e) when (e is NoSuchElementException or StaleElementReferenceException)
            {
                return Task.FromResult(false);
            }
        }, what, Deadline);

    private void SaveScreenshot(ChromeDriver browser, string name = "status-page.png")
    {
        string path = Path.Combine(AppContext.BaseDirectory, name);
        browser.GetScreenshot().SaveAsFile(path);
        output.WriteLine($"screenshot: {path}");
        // GSLBDNS_STATUS_PAGE_SCREENSHOT=docs/status-page.png refreshes the picture in the docs.
        if (name == "status-page.png" && Environment.GetEnvironmentVariable("GSLBDNS_STATUS_PAGE_SCREENSHOT") is { Length: > 0 } copy)
        {
            File.Copy(path, copy, overwrite: true);
        }
    }
}

/// <summary>Skipped, with the reason, where Chromium, its driver or the LBs' loopback addresses are missing.</summary>
public sealed class StatusPageFactAttribute : FactAttribute
{
    public StatusPageFactAttribute()
    {
        if ((Chromium.Missing ?? StatusPageScenario.Unsupported) is { } missing) Skip = missing;
    }
}
