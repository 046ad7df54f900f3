using GslbDns.IntegrationTests.Cluster;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace GslbDns.IntegrationTests.StatusPage;

/// <summary>
/// The status page's Cluster panel in a real browser against clustered instances on a real etcd:
/// every member with its version, API address and heartbeat, and the store's state, which follows
/// etcd going away (down, then stale) without a reload. Skipped without Chromium or etcd.
/// </summary>
public sealed class ClusterPanelBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [ClusterPanelFact]
    public async Task ClusterPanel_ShowsMembersAndStore_AndTheStoreGoingStaleWhenEtcdStops()
    {
        if (!ClusterScenario.Supported) return;
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd);
        string profile = Infrastructure.TempFolder.Create();
        using var browser = Chromium.Start(profile);
        try
        {
            browser.Navigate().GoToUrl(cluster[0].ApiBase!);
            // A member's first heartbeat can go out before its API listens (the cluster link starts
            // first), and its address shows as "-" until the next one: wait for all three addresses.
            await UntilAsync(browser, "the three members with their API addresses and the store up", () =>
                browser.FindElement(By.Id("cluster")).Displayed && Members(browser).Length == 3
                && Rows(browser).Values.All(cells => cells.Length > 2 && cells[2] != "-")
                && browser.FindElement(By.Id("cluster-store")).GetAttribute("class") == "store-up");

            // One read of the whole table: the page redraws it on every poll, so elements held across reads go stale.
            var rows = Rows(browser);
            Assert.Equal(["a", "b", "c"], rows.Keys.Order().ToArray());
            var store = StoreText(browser);
            Assert.StartsWith($"instance a · etcd up at http://127.0.0.1:", store, StringComparison.Ordinal);
            for (int i = 0; i < 3; i++)
            {
                var cells = rows[ClusterScenario.NameOf(i)];
                Assert.Equal(ClusterScenario.NameOf(i) + (i == 0 ? " (this one)" : ""), cells[0]);
                Assert.Equal(GslbDns.Metrics.GslbDnsMeter.Version, cells[1]);
                Assert.Equal(cluster[i].ApiBase!.ToString(), cells[2]);
                Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d+(\.\d)? s ago\)$", cells[3]);
            }

            // etcd gone: the panel says so on the same page, first down, then stale (own health only).
            for (int i = 0; i < etcd.Count; i++) await etcd.StopAsync(i);
            await UntilAsync(browser, "the store stale on the page", () =>
                browser.FindElement(By.Id("cluster-store")).GetAttribute("class") == "store-stale");
            store = StoreText(browser);
            Assert.Contains("etcd stale at", store, StringComparison.Ordinal);
            Assert.Contains("unreachable since", store, StringComparison.Ordinal);
            Assert.EndsWith("health by own checks only", store, StringComparison.Ordinal);
        }
        catch
        {
            string path = Path.Combine(AppContext.BaseDirectory, "cluster-panel-failed.png");
            browser.GetScreenshot().SaveAsFile(path);
            output.WriteLine($"screenshot: {path}");
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

    private static string[] Members(ChromeDriver browser) =>
        browser.FindElements(By.CssSelector("#cluster-members tr[data-member]")).Select(r => r.GetAttribute("data-member")!).ToArray();

    /// <summary>Each member row's cell texts, by member name, read in the page at once.</summary>
    private static Dictionary<string, string[]> Rows(ChromeDriver browser)
    {
        var rows = (IReadOnlyCollection<object>)browser.ExecuteScript(
            "return [...document.querySelectorAll('#cluster-members tr[data-member]')].map(r => [r.dataset.member, ...[...r.cells].map(c => c.textContent)]);")!;
        return rows.Select(r => ((IReadOnlyCollection<object>)r).Select(c => (string)c).ToArray()).ToDictionary(r => r[0], r => r[1..]);
    }

    private static string StoreText(ChromeDriver browser) => (string)browser.ExecuteScript("return document.getElementById('cluster-store').textContent;")!;

    private static Task UntilAsync(ChromeDriver browser, string what, Func<bool> condition) =>
        Reloading.Poll.UntilAsync(() =>
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
}

/// <summary>Skipped, with the reason, where Chromium, its driver or etcd is missing.</summary>
public sealed class ClusterPanelFactAttribute : FactAttribute
{
    public ClusterPanelFactAttribute()
    {
        if (Chromium.Missing is { } missing) Skip = missing;
        else if (!File.Exists(EtcdCluster.Binary)) Skip = $"etcd is not installed at {EtcdCluster.Binary} (apt-get install etcd-server)";
    }
}
