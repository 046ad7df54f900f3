using ARSoft.Tools.Net.Dns;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static GslbDns.IntegrationTests.Infrastructure.Sections;

namespace GslbDns.IntegrationTests.Reloading;

/// <summary>Hot reload: only a fully valid zone replaces the old one; nothing is lost on a bad edit.</summary>
public sealed class ZoneReloadTests
{
    private static string Zone(uint serial, string wwwAddress, string extra = "") => $"""
        $ORIGIN example.com.
        $TTL 300
        @    SOA  ns1 hostmaster {serial} 7200 900 1209600 300
        @    NS   ns1
        ns1  A    192.0.2.53
        www  A    {wwwAddress}
        {extra}
        """;

    private static async Task<string?> WwwAsync(WireClient client)
    {
        var reply = await client.QueryAsync(false, "www.example.com", RecordType.A);
        return reply.ReturnCode == ReturnCode.NoError && reply.AnswerRecords.Count == 1
            ? ((ARecord)reply.AnswerRecords[0]).Address.ToString()
            : reply.ReturnCode.ToString();
    }

    [Fact]
    public async Task InvalidEdit_KeepsServingLastGood_ThenFixApplies()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone(1, "192.0.2.1"));
        var loader = server.Services.GetRequiredService<ZoneCatalogLoader>();
        var path = Path.Combine(server.ZonesFolder, "example.com.zone");
        Assert.Equal("192.0.2.1", await WwwAsync(server.Client));

        int generation = loader.Generation;
        await File.WriteAllTextAsync(path, Zone(2, "192.0.2.2", "bad  A  not-an-address\nbad6 AAAA 192.0.2.1"));
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > generation && loader.LastProblems.Count > 0), "the bad edit to be read");
        Assert.Contains(loader.LastProblems, p => p.Location.Line == 7 && p.Location.File.EndsWith("example.com.zone", StringComparison.Ordinal));
        Assert.True(loader.LastProblems.Count >= 2, string.Join("\n", loader.LastProblems));
        Assert.Equal("192.0.2.1", await WwwAsync(server.Client));

        await File.WriteAllTextAsync(path, Zone(3, "192.0.2.3"));
        await Poll.UntilAsync(async () => await WwwAsync(server.Client) == "192.0.2.3", "the fixed zone to serve");
        Assert.Empty(loader.LastProblems);
    }

    [Fact]
    public async Task AtomicRename_IsPickedUp()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone(1, "192.0.2.1"));
        var temp = Path.Combine(server.ZonesFolder, ".example.com.zone.tmp");
        await File.WriteAllTextAsync(temp, Zone(2, "192.0.2.9"));
        File.Move(temp, Path.Combine(server.ZonesFolder, "example.com.zone"), overwrite: true);
        await Poll.UntilAsync(async () => await WwwAsync(server.Client) == "192.0.2.9", "the renamed zone to serve");
    }

    [Fact]
    public async Task NewFile_AddsZone_DeletedFile_RemovesIt()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone(1, "192.0.2.1"));
        var orgPath = Path.Combine(server.ZonesFolder, "example.org.zone");
        await File.WriteAllTextAsync(orgPath, "$TTL 60\n@ SOA ns1.example.com. h.example.com. 1 2 3 4 5\n@ NS ns1.example.com.\nwww A 192.0.2.77\n");
        await Poll.UntilAsync(async () =>
            (await server.Client.QueryAsync(false, "www.example.org", RecordType.A)).ReturnCode == ReturnCode.NoError, "example.org to be served");

        File.Delete(orgPath);
        await Poll.UntilAsync(async () =>
            (await server.Client.QueryAsync(false, "www.example.org", RecordType.A)).ReturnCode == ReturnCode.Refused, "example.org to be gone");
        Assert.Equal("192.0.2.1", await WwwAsync(server.Client));
    }

    [Fact]
    public async Task ChangedInclude_ReloadsTheZoneThatIncludesIt()
    {
        var files = new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone(1, "192.0.2.1", "$INCLUDE hosts/extra.inc"),
            ["hosts/extra.inc"] = "extra A 192.0.2.40\n",
        };
        await using var server = await TestServer.StartAsync(files);
        var extra = await server.Client.QueryAsync(false, "extra.example.com", RecordType.A);
        Assert.Equal(["extra.example.com. 300 IN A 192.0.2.40"], Answer(extra));

        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "hosts/extra.inc"), "extra A 192.0.2.41\n");
        await Poll.UntilAsync(async () =>
            Answer(await server.Client.QueryAsync(false, "extra.example.com", RecordType.A)).SequenceEqual(["extra.example.com. 300 IN A 192.0.2.41"]),
            "the include change to serve");
    }

    [Fact]
    public async Task StartWithInvalidZone_Fails_WithFileAndLine()
    {
        var ex = await Assert.ThrowsAsync<ZoneLoadException>(() =>
            TestServer.StartAsync("example.com.zone", Zone(1, "192.0.2.300")));
        var problem = Assert.Single(ex.Problems);
        Assert.Equal(6, problem.Location.Line);
        Assert.Contains("192.0.2.300", problem.Message, StringComparison.Ordinal);
    }
}
