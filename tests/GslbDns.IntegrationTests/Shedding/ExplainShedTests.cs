using ARSoft.Tools.Net.Dns;
using GslbDns.Commands;
using GslbDns.IntegrationTests.Steering;
using GslbDns.Steering.State;

namespace GslbDns.IntegrationTests.Shedding;

/// <summary>explain --server shows each region's load and shed share, and whether the client's network is in the shed part.</summary>
public sealed class ExplainShedTests
{
    [Fact]
    public async Task Explain_ShowsLoadAndShedPart_AndChoosesAsTheServerAnswers()
    {
        await using var server = await SheddingSetup.StartAsync();
        await SheddingSetup.ReportAsync(server, "www.example.com", "eu", new LoadReport(0.85, 0.4, null, null));

        // One network in eu's shed part and one it keeps, as the server answers them.
        string? shed = null, kept = null;
        foreach (var network in SheddingSetup.ClientNetworks(200))
        {
            var (reply, _) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, network);
            if (Ecs.Region(reply) == "us") shed ??= network;
            else kept ??= network;
        }
        Assert.NotNull(shed);
        Assert.NotNull(kept);

        string Explain(string subnet)
        {
            var output = new StringWriter();
            var errors = new StringWriter();
            int code = ExplainCommand.Run(["www.example.com", "--zones", server.ZonesFolder, "--subnet", subnet, "--server", server.ApiBase!.ToString()], output, errors);
            Assert.True(code == 0, errors.ToString());
            return output.ToString();
        }

        var shedText = await Task.Run(() => Explain(shed));
        Assert.Matches(@"eu .*load 0\.85 from api lbs, \d+ s old .*\(sheds 50%, this client's network is in the shed part\).*: Shed", shedText);
        Assert.Contains("Choice:      us", shedText, StringComparison.Ordinal);
        Assert.Contains("shed by load from eu", shedText, StringComparison.Ordinal);
        Assert.Contains("ECS scope:   /24", shedText, StringComparison.Ordinal);

        var keptText = await Task.Run(() => Explain(kept));
        Assert.Contains("this client's network is kept", keptText, StringComparison.Ordinal);
        Assert.Contains("Choice:      eu", keptText, StringComparison.Ordinal);
        Assert.Matches(@"us .*load unknown \(no valid report: idle\)", keptText);
    }
}
