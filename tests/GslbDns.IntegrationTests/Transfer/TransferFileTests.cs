using ARSoft.Tools.Net.Dns;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>zones/transfer.yaml is checked like the other files of the zones folder and reloaded with them.</summary>
public sealed class TransferFileTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 7200 900 1209600 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        """;

    [Fact]
    public async Task BadEdit_KeepsTheLastGoodRules_AndNamesFileAndLine()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone,
            ["transfer.yaml"] = "example.com: { allow: [127.0.0.1/32] }\n",
        });
        var loader = server.Services.GetRequiredService<ZoneCatalogLoader>();
        int generation = loader.Generation;

        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "transfer.yaml"),
            "# no source and no key would open the zone to everyone\nexample.com:\n  notify: [192.0.2.53]\n");
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > generation), "a reload");

        var problem = Assert.Single(loader.LastProblems);
        Assert.Equal("transfer.yaml:2", problem.Location.ToString());
        Assert.Contains("neither allow nor tsig", problem.Message, StringComparison.Ordinal);
        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.com"));
        Assert.Equal(ReturnCode.NoError, DnsMessage.Parse(messages[0]).ReturnCode);
        Assert.Equal(4, TransferClient.Records(messages).Count); // SOA, NS, A, SOA
    }

    [Fact]
    public async Task GoodEdit_TakesEffect()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone,
            ["transfer.yaml"] = "example.com: { allow: [127.0.0.1/32] }\n",
        });
        var loader = server.Services.GetRequiredService<ZoneCatalogLoader>();
        int generation = loader.Generation;

        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "transfer.yaml"), "example.com: { allow: [192.0.2.0/24] }\n");
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > generation), "a reload");

        Assert.Empty(loader.LastProblems);
        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.com"));
        Assert.Equal(ReturnCode.Refused, DnsMessage.Parse(messages.Single()).ReturnCode);
    }

    [Fact]
    public async Task BadFileAtStart_StopsTheStart_WithEveryProblem()
    {
        var error = await Assert.ThrowsAsync<ZoneLoadException>(() => TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone,
            ["transfer.yaml"] = "example.com:\n  allow: [not-an-address]\n  tsig: [missing-key]\n  color: blue\nexample.net: { allow: [192.0.2.1] }\n",
        }));

        var problems = error.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains(problems, p => p.StartsWith("transfer.yaml:2:", StringComparison.Ordinal) && p.Contains("not-an-address", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("transfer.yaml:3:", StringComparison.Ordinal) && p.Contains("without --tsig-keys", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("transfer.yaml:4:", StringComparison.Ordinal) && p.Contains("unknown key 'color'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("transfer.yaml:5:", StringComparison.Ordinal) && p.Contains("not served", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TsigKeysInsideTheZonesFolder_AreRefused()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var folder = TempFolder.Create();
            await File.WriteAllTextAsync(Path.Combine(folder, "example.com.zone"), Zone);
            await using var _ = await TestServer.StartOnFolderAsync(folder, new Dictionary<string, string?> { ["Server:TsigKeys"] = Path.Combine(folder, "keys.conf") });
        });

        Assert.Contains("inside the zones folder", error.Message, StringComparison.Ordinal);
    }
}
