using System.Net;
using GslbDns.Commands;
using GslbDns.IntegrationTests.Reloading;
using static GslbDns.IntegrationTests.Api.ApiScenario;

namespace GslbDns.IntegrationTests.Api;

/// <summary>Drains over the API: answers, steering, persistence across restarts, combination with the admin file.</summary>
public sealed class ApiDrainTests
{
    private const string EuClient = "10.1.0.0/24";

    [Fact]
    public async Task Drain_SteersAway_SurvivesRestart_AndUndrainRemovesIt()
    {
        await using var s = await StartAsync();
        using var ops = Client(OpsSecret);
        Assert.Equal("eu", await s.SteeredAsync(EuClient));

        var drained = await s.AdminAsync(ops, "eu", "drain");
        Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
        Assert.Equal("""{"service":"www.example.com","region":"eu","admin":"drain","sources":{"file":"active","api":true,"agent":false}}""",
            Compact(await drained.Content.ReadAsStringAsync()));
        var eu = await s.RegionAsync("eu");
        Assert.Equal("drain", eu.Admin);
        Assert.True(eu.AdminSources.Api);
        Assert.Equal("us", await s.SteeredAsync(EuClient));
        Assert.Contains("\"by\": \"ops\"", await File.ReadAllTextAsync(Path.Combine(s.StateDir, "drains.json")), StringComparison.Ordinal);

        await s.RestartAsync();
        Assert.Equal("drain", (await s.RegionAsync("eu")).Admin);
        Assert.Equal("us", await s.SteeredAsync(EuClient));

        using var ops2 = Client(OpsSecret);
        var undrained = await s.AdminAsync(ops2, "eu", "undrain");
        Assert.Equal(HttpStatusCode.OK, undrained.StatusCode);
        Assert.Equal("""{"service":"www.example.com","region":"eu","admin":"active","sources":{"file":"active","api":false,"agent":false}}""",
            Compact(await undrained.Content.ReadAsStringAsync()));
        Assert.Equal("eu", await s.SteeredAsync(EuClient));

        await s.RestartAsync();
        Assert.Equal("active", (await s.RegionAsync("eu")).Admin);
        Assert.Equal("eu", await s.SteeredAsync(EuClient));
    }

    [Fact]
    public async Task NonAdminToken_Is403_AndUnknownRegion404()
    {
        await using var s = await StartAsync();
        using var eu = Client(EuSecret);
        using var ops = Client(OpsSecret);
        Assert.Equal((HttpStatusCode.Forbidden, "token 'eu-lb' may not drain regions (it needs 'admin: true' in the tokens file)"),
            await ErrorOf(await s.AdminAsync(eu, "eu", "drain")));
        Assert.Equal((HttpStatusCode.Forbidden, "token 'eu-lb' may not undrain regions (it needs 'admin: true' in the tokens file)"),
            await ErrorOf(await s.AdminAsync(eu, "eu", "undrain")));
        Assert.Equal((HttpStatusCode.NotFound, "service www.example.com has no region 'xx' (its regions: eu, us)"),
            await ErrorOf(await s.AdminAsync(ops, "xx", "drain")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.AdminAsync(Client(), "eu", "drain")).StatusCode);
        Assert.Equal("active", (await s.RegionAsync("eu")).Admin);
        Assert.False(File.Exists(Path.Combine(s.StateDir, "drains.json")));
    }

    [Fact]
    public async Task CorruptDrainsFile_IsSetAside_AndTheServerStartsWithNone()
    {
        await using var s = await StartAsync();
        using (var ops = Client(OpsSecret)) Assert.Equal(HttpStatusCode.OK, (await s.AdminAsync(ops, "eu", "drain")).StatusCode);
        await File.WriteAllTextAsync(Path.Combine(s.StateDir, "drains.json"), "{ not json");
        await s.RestartAsync();
        Assert.Equal("active", (await s.RegionAsync("eu")).Admin);
        Assert.Single(Directory.GetFiles(s.StateDir, "drains.json.corrupt-*"));
    }

    [Fact]
    public async Task DrainAndUndrainVerbs_UseTheApi()
    {
        await using var s = await StartAsync();
        var tokenFile = Path.Combine(Path.GetDirectoryName(s.TokensFile)!, "ops.token");
        await File.WriteAllTextAsync(tokenFile, OpsSecret + "\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int? code = await Task.Run(() => CommandVerbs.TryRun(["drain", "www.example.com/eu", "--token-file", tokenFile, "--api", s.Api.ToString()], stdout, stderr));
        Assert.True(code == 0, stderr.ToString());
        Assert.Equal("www.example.com/eu: drain (admin-state.yaml: active, api drain: yes)\n", stdout.ToString().ReplaceLineEndings("\n"));
        await Poll.UntilAsync(async () => await s.SteeredAsync(EuClient) == "us", "eu drained");

        var refused = new StringWriter();
        Assert.Equal(1, await Task.Run(() => CommandVerbs.TryRun(["undrain", "www.example.com/xx", "--token-file", tokenFile, "--api", s.Api.ToString()], new StringWriter(), refused)));
        Assert.Equal("gslbdns undrain: 404 service www.example.com has no region 'xx' (its regions: eu, us)\n", refused.ToString().ReplaceLineEndings("\n"));

        stdout = new StringWriter();
        Assert.Equal(0, await Task.Run(() => CommandVerbs.TryRun(["undrain", "www.example.com/eu", "--token-file", tokenFile, "--api", s.Api.ToString()], stdout, stderr)));
        Assert.Equal("www.example.com/eu: active (admin-state.yaml: active, api drain: no)\n", stdout.ToString().ReplaceLineEndings("\n"));
    }

    private static string Compact(string json) => System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(json).RootElement);
}
