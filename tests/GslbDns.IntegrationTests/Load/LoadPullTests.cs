using System.Text.RegularExpressions;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;
using GslbDns.Load;
using GslbDns.Protocol;
using GslbDns.Steering.State;
using GslbDns.Tests.Load;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Load;

/// <summary>Pull mode against real listeners: report JSON and HAProxy CSV over HTTP, an agent over TCP, reloads.</summary>
public class LoadPullTests
{
    public const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        eu.www  60    A     192.0.2.11
        us.www  60    A     192.0.2.21
        """;

    public static readonly RegionKey Eu = new(DnsName.Parse("www.example.com."), "eu");
    public static readonly RegionKey Us = new(DnsName.Parse("www.example.com."), "us");

    public static string Policy(string euLoad, string usLoad = "", string ttl = "30") => $$"""
        services:
          www:
            ttl: {{ttl}}
            load: { report-ttl: 1s }
            regions:
              eu: { target: eu.www, capacity: 5000{{(euLoad.Length > 0 ? ", load: " + euLoad : "")}} }
              us: { target: us.www{{(usLoad.Length > 0 ? ", load: " + usLoad : "")}} }
            topology:
              - default: [eu, us]
        """;

    public static Task<TestServer> StartAsync(string policy) =>
        TestServer.StartAsync(new Dictionary<string, string> { ["example.com.zone"] = Zone, ["example.com.gslb.yaml"] = policy });

    public static (ReceivedLoad Load, bool Valid)? LoadOf(TestServer server, RegionKey region) =>
        server.Services.GetRequiredService<RegionStateStore>().LoadOf(region);

    [Fact]
    public async Task Json_ThenHaproxyCsv_AreStored_AndAFailingSourceExpiresAfterTheTtl()
    {
        await using var http = await LoadPullHttpSource.StartAsync();
        http.Json("/load", """{"cpu":0.72,"memory":0.55,"connections":4100,"capacity":5000}""");
        var url = new Uri(http.Base, "load");
        await using var server = await StartAsync(Policy($"{{ pull: \"{url}\", interval: 500ms, timeout: 400ms, backend: api }}"));

        await Poll.UntilAsync(() => Task.FromResult(LoadOf(server, Eu) is { Valid: true }), "the JSON report is stored");
        var (load, _) = LoadOf(server, Eu)!.Value;
        Assert.Equal(new LoadReport(0.72, 0.55, 4100, 5000), load.Report);
        Assert.Equal("pull " + url, load.Source);

        // The same URL now answers HAProxy CSV (told apart by its header): api's servers in service.
        http.Csv("/load", HaproxySample.Csv);
        await Poll.UntilAsync(() => Task.FromResult(LoadOf(server, Eu) is { Valid: true } l && l.Load.Report.Connections == 240),
            "the CSV report is stored");
        Assert.Equal(new LoadReport(null, null, 240, 500), LoadOf(server, Eu)!.Value.Load.Report);

        // Failing: nothing more is stored; the last report runs out after its ttl (max(1s, 3 × 500ms)).
        http.Fail("/load");
        await Poll.UntilAsync(() => Task.FromResult(LoadOf(server, Eu) is { Valid: false }), "the report expired");
        Assert.Equal(240, LoadOf(server, Eu)!.Value.Load.Report.Connections);
        Assert.True(server.Services.GetRequiredService<LoadPuller>().Snapshot().Single().Failing);
    }

    [Fact]
    public async Task Reload_KeepingTheSpec_KeepsThePoller_RemovingTheLoadBlock_StopsThePolls()
    {
        await using var http = await LoadPullHttpSource.StartAsync();
        http.Json("/eu", """{"cpu":0.4}""");
        http.Json("/us", """{"connections":100}""");
        string eu = $"{{ pull: \"{new Uri(http.Base, "eu")}\", interval: 500ms, timeout: 400ms }}";
        string us = $"{{ pull: \"{new Uri(http.Base, "us")}\", interval: 500ms, timeout: 400ms }}";
        await using var server = await StartAsync(Policy(eu, us));
        var puller = server.Services.GetRequiredService<LoadPuller>();
        var loader = server.Services.GetRequiredService<ZoneCatalogLoader>();
        await Poll.UntilAsync(() => Task.FromResult(http.Requests("/eu") >= 3), "eu polled");

        // The same specs with another TTL: the same poller polls on, and it is the only one polling eu.
        int generation = loader.Generation;
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.com.gslb.yaml"), "# edited\n" + Policy(eu, us, ttl: "40"));
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > generation), "the edited policy is loaded");
        int pollsBefore = puller.Snapshot().Single(p => p.Poll.Region == Eu).Polls;
        int requestsBefore = http.Requests("/eu");
        Assert.True(pollsBefore >= 3, $"the poller kept its count ({pollsBefore})");
        await Poll.UntilAsync(() => Task.FromResult(http.Requests("/eu") >= requestsBefore + 6), "eu polled on");
        var snapshot = puller.Snapshot();
        Assert.Equal(2, snapshot.Count);
        int polled = snapshot.Single(p => p.Poll.Region == Eu).Polls - pollsBefore;
        int requested = http.Requests("/eu") - requestsBefore;
        Assert.InRange(requested, polled - 1, polled + 1);

        // eu's load block removed: eu is no longer polled, us still is.
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.com.gslb.yaml"), Policy("", us));
        await Poll.UntilAsync(() => Task.FromResult(puller.Snapshot().Count == 1), "eu's poller stopped");
        await Task.Delay(450); // a poll already in flight lands
        int euAfter = http.Requests("/eu");
        int usAfter = http.Requests("/us");
        await Poll.UntilAsync(() => Task.FromResult(http.Requests("/us") >= usAfter + 4), "us polled on");
        Assert.Equal(euAfter, http.Requests("/eu"));
    }

    [Fact]
    public async Task Agent_Percentage_Drain_Up()
    {
        using var agent = new LoadPullAgent();
        await using var server = await StartAsync(Policy("", $"{{ agent: \"127.0.0.1:{agent.Port}\", interval: 500ms, timeout: 400ms }}"));
        var state = server.Services.GetRequiredService<RegionStateStore>();

        await Poll.UntilAsync(() => Task.FromResult(LoadOf(server, Us) is { Valid: true }), "the agent's load is stored");
        var (load, _) = LoadOf(server, Us)!.Value;
        Assert.Equal(new LoadReport(null, null, null, null, 0.25), load.Report);
        Assert.Equal($"agent 127.0.0.1:{agent.Port}", load.Source);
        Assert.Equal(AdminRegionState.Active, state.AdminOf(Us));

        // The percentage stays in the line: a drain alone carries no load, and on a slow machine the
        // load last pulled could expire (and leave the row) before the status table below is read.
        agent.Line = "75% drain\n";
        await Poll.UntilAsync(() => Task.FromResult(state.AdminOf(Us) == AdminRegionState.Drain), "drained by the agent");
        Assert.True(state.PulledDrainOf(Us));

        // The status API says where the drain and the load come from.
        using var http = new HttpClient();
        using var status = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(server.ApiBase!, "/api/v1/status")));
        var us = status.RootElement.GetProperty("services")[0].GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("region").GetString() == "us");
        Assert.Equal("drain", us.GetProperty("admin").GetString());
        Assert.True(us.GetProperty("adminSources").GetProperty("agent").GetBoolean());
        Assert.Equal($"agent 127.0.0.1:{agent.Port}", us.GetProperty("load").GetProperty("pull").GetProperty("source").GetString());
        Assert.Equal(0.25, us.GetProperty("load").GetProperty("report").GetProperty("utilization").GetDouble());
        // The status command's row, once a poll has landed since the last one that failed: on a
        // loaded machine one of the 400 ms polls can time out, and the row says "pull failing"
        // until the next one answers.
        const string row = @"us\s+\w+\s+drain \(agent\)\s+0\.25\s+0%\s+\d+s ago, pulled";
        string lastTable = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        do
        {
            var table = new StringWriter();
            Assert.Equal(0, await Task.Run(() => GslbDns.Commands.StatusCommand.Run(["--api", server.ApiBase!.ToString()], table, new StringWriter())));
            lastTable = table.ToString();
            if (Regex.IsMatch(lastTable, row)) break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        Assert.True(Regex.IsMatch(lastTable, row), lastTable);

        agent.Line = "75% up\n";
        await Poll.UntilAsync(() => Task.FromResult(state.AdminOf(Us) == AdminRegionState.Active), "undrained by the agent");
        Assert.False(state.PulledDrainOf(Us));
    }
}
