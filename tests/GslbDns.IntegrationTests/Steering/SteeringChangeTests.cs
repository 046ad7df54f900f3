using ARSoft.Tools.Net.Dns;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Reloading;
using Microsoft.Extensions.DependencyInjection;
using static GslbDns.IntegrationTests.Infrastructure.Sections;

namespace GslbDns.IntegrationTests.Steering;

/// <summary>Drain, down, all-down policies, a bad policy edit and a replaced GeoIP database, each without restart.</summary>
public sealed class SteeringChangeTests
{
    private const string Asia = "1.1.5.0/24";

    [Fact]
    public async Task DrainedOrDownRegion_SendsItsClientsToTheNextPreference()
    {
        await using var server = await SteeringSetup.StartAsync();
        var admin = Path.Combine(server.ZonesFolder, "admin-state.yaml");
        Assert.Equal("ap", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply));

        await File.WriteAllTextAsync(admin, "www.example.com: { ap: drain }\n");
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply) == "us", "ap drained");

        await File.WriteAllTextAsync(admin, "example.com:\n  www: { ap: down, us: down }\n");
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply) == "eu", "ap and us down");

        File.Delete(admin);
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply) == "ap", "override lifted");
    }

    [Fact]
    public async Task AllRegionsDown_FailOpen_ServFail_Or_NoData_AsEachServiceSays()
    {
        var admin = """
            example.com:
              www: { ap: down, eu: down, us: down }
              closed: { eu: down }
              empty: { eu: down }
            """;
        await using var server = await SteeringSetup.StartAsync(admin: admin);

        // www fails open: the first preference, as if all were up.
        var (www, _) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia);
        Assert.Equal(ReturnCode.NoError, www.ReturnCode);
        Assert.Equal("ap", Ecs.Region(www));

        var (closed, _) = await Ecs.QueryAsync(server.Client, "closed.example.com", RecordType.A, Asia);
        Assert.Equal(ReturnCode.ServerFailure, closed.ReturnCode);
        Assert.Empty(Answer(closed));

        var (empty, _) = await Ecs.QueryAsync(server.Client, "empty.example.com", RecordType.A, Asia);
        Assert.Equal(ReturnCode.NoError, empty.ReturnCode);
        Assert.Empty(Answer(empty));
        Assert.Single(Authority(empty));
    }

    [Fact]
    public async Task BadPolicyEdit_IsRejectedWithFileAndLine_AndTheOldPolicyKeepsServing()
    {
        await using var server = await SteeringSetup.StartAsync();
        var loader = server.Services.GetRequiredService<ZoneCatalogLoader>();
        var path = Path.Combine(server.ZonesFolder, "example.com.gslb.yaml");
        int generation = loader.Generation;

        var broken = SteeringSetup.Policy.Replace("ap: { target: ap.www, location: [35.68, 139.69] }", "ap: { target: ap.www, wieght: 5 }", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, broken);
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > generation && loader.LastProblems.Count > 0), "the bad policy to be read");
        var problem = Assert.Single(loader.LastProblems, p => p.Message.Contains("wieght", StringComparison.Ordinal));
        Assert.Equal(6, problem.Location.Line);
        Assert.EndsWith("example.com.gslb.yaml", problem.Location.File, StringComparison.Ordinal);
        Assert.Equal("ap", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply));

        var changed = SteeringSetup.Policy.Replace("prefer: [ap, us, eu]", "prefer: [us, ap, eu]", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, changed);
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply) == "us", "the fixed policy");
        Assert.Empty(loader.LastProblems);
    }

    [Fact]
    public async Task ReplacedGeoIpDatabase_TakesEffectWithoutRestart_CorruptOneIsIgnored()
    {
        var geoFolder = Infrastructure.TempFolder.Create();
        var database = SteeringSetup.BuildGeoDatabase(geoFolder);
        var files = new Dictionary<string, string> { ["example.com.zone"] = SteeringSetup.Zone, ["example.com.gslb.yaml"] = SteeringSetup.Policy };
        await using var server = await Infrastructure.TestServer.StartAsync(files, new Dictionary<string, string?> { ["Server:GeoIp:0"] = database });
        Assert.Equal("ap", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply));

        // A corrupt file in place of the database: the old one keeps serving.
        var staging = Path.Combine(Infrastructure.TempFolder.Create(), "staging");
        await File.WriteAllBytesAsync(staging + ".bad", new byte[] { 1, 2, 3, 4, 5 });
        File.Move(staging + ".bad", database, overwrite: true);
        // Read it now rather than waiting for the file events: a corrupt file changes nothing.
        Assert.False(server.Services.GetRequiredService<GslbDns.Steering.Geo.GeoDatabaseWatcher>().Reload());
        Assert.Equal("ap", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply));

        // 1.1/16 moves to Europe in the new database, written elsewhere and renamed into place.
        var moved = SteeringSetup.GeoCsv.Replace("1.1.0.0/16,JP,AS,13,35.68,139.69", "1.1.0.0/16,FR,EU,,48.86,2.35", StringComparison.Ordinal);
        var built = SteeringSetup.BuildGeoDatabase(Path.GetDirectoryName(staging)!, moved, "next.mmdb");
        File.Move(built, database, overwrite: true);
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply) == "eu",
            "the new database", TimeSpan.FromSeconds(15));
    }
}

/// <summary>Look-up trees are compiled once per distinct way of classifying clients, not per service or per reload.</summary>
public sealed class GeoTreeSharingTests
{
    [Fact]
    public async Task ServicesThatClassifyAlike_ShareOneTree_AdminChangesCompileNothing()
    {
        await using var server = await SteeringSetup.StartAsync();
        var loader = server.Services.GetRequiredService<ZoneCatalogLoader>();
        // www, split, the apex and addr each classify differently; closed and empty alike.
        Assert.Equal(5, loader.TreeCompilations);

        int generation = loader.Generation;
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "admin-state.yaml"), "www.example.com: { ap: drain }\n");
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, "1.1.5.0/24")).Reply) == "us", "ap drained");
        Assert.True(loader.Generation > generation);
        Assert.Equal(5, loader.TreeCompilations);
    }
}
