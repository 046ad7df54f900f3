using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;
using GslbDns.IntegrationTests.Steering;
using GslbDns.Steering.State;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Shedding;

/// <summary>
/// Load shedding as clients see it over real DNS: 2,000 client /24s asking by ECS, the regions' load
/// reported to the running server over its HTTP API.
/// </summary>
public sealed class ShedOverDnsTests
{
    private const int Networks = 2_000;

    /// <summary>The region each client network is answered with.</summary>
    private static async Task<Dictionary<string, string>> AnswersAsync(TestServer server, string service)
    {
        var answers = new Dictionary<string, string>();
        foreach (var network in SheddingSetup.ClientNetworks(Networks))
        {
            var (reply, scope) = await Ecs.QueryAsync(server.Client, service, RecordType.A, network);
            Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
            answers[network] = Ecs.Region(reply);
        }
        return answers;
    }

    private static HashSet<string> MovedFrom(Dictionary<string, string> answers, string region) =>
        answers.Where(a => a.Value != region).Select(a => a.Key).ToHashSet();

    [Fact]
    public async Task ShareMoved_IsNoneAtStart_HalfHalfway_AllAtFull_AlwaysTheSameNetworks()
    {
        await using var server = await SheddingSetup.StartAsync();
        Assert.Empty(MovedFrom(await AnswersAsync(server, "www.example.com"), "eu"));

        await SheddingSetup.ReportAsync(server, "www.example.com", "eu", new LoadReport(0.80, 0.5, null, null));
        Assert.Empty(MovedFrom(await AnswersAsync(server, "www.example.com"), "eu"));

        // Halfway: 4250 of the policy's 5000 connections is 0.85, between start 0.80 and full 0.90.
        await SheddingSetup.ReportAsync(server, "www.example.com", "eu", new LoadReport(0.2, null, 4250, null));
        var half = await AnswersAsync(server, "www.example.com");
        var moved = MovedFrom(half, "eu");
        Assert.InRange(moved.Count / (double)Networks, 0.45, 0.55);
        Assert.All(moved, n => Assert.Equal("us", half[n]));
        // Asked again, the same networks are the moved ones.
        Assert.Equal(moved, MovedFrom(await AnswersAsync(server, "www.example.com"), "eu"));

        // A little more load: the networks already moved stay moved, more join them.
        await SheddingSetup.ReportAsync(server, "www.example.com", "eu", new LoadReport(0.87, null, null, null));
        var more = MovedFrom(await AnswersAsync(server, "www.example.com"), "eu");
        Assert.Superset(moved, more);
        Assert.True(more.Count > moved.Count);

        await SheddingSetup.ReportAsync(server, "www.example.com", "eu", new LoadReport(0.90, null, null, null));
        Assert.Equal(Networks, MovedFrom(await AnswersAsync(server, "www.example.com"), "eu").Count);
    }

    [Fact]
    public async Task ShedAnswer_IsScopedToTheClientNetwork()
    {
        await using var server = await SheddingSetup.StartAsync();
        var (_, idleScope) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, "20.0.1.0/24");
        Assert.Equal(0, idleScope);
        await SheddingSetup.ReportAsync(server, "www.example.com", "eu", new LoadReport(0.85, null, null, null));
        foreach (var network in SheddingSetup.ClientNetworks(50))
        {
            var (_, scope) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, network);
            Assert.Equal(24, scope);
        }
    }

    [Fact]
    public async Task ExpiredReport_ReturnsTheShedNetworks()
    {
        await using var server = await SheddingSetup.StartAsync();
        await SheddingSetup.ReportAsync(server, "www.example.com", "eu", new LoadReport(0.95, null, null, null), TimeSpan.FromSeconds(5));
        // A sample while the report counts (all 2,000 could outlast a short ttl on a busy machine).
        foreach (var network in SheddingSetup.ClientNetworks(100))
        {
            var (reply, _) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, network);
            Assert.Equal("us", Ecs.Region(reply));
        }
        // The expiry timer runs on the thread pool, which a full parallel run on two busy cores can
        // keep waiting for seconds; the deadline allows for that, and a miss says what the server held.
        try
        {
            await Poll.UntilAsync(async () =>
            {
                var (reply, _) = await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, "20.0.7.0/24");
                return Ecs.Region(reply) == "eu";
            }, "the report to expire", TimeSpan.FromSeconds(60));
        }
        catch (Xunit.Sdk.FailException)
        {
            var state = server.Services.GetRequiredService<RegionStateStore>();
            var load = state.LoadOf(new RegionKey(GslbDns.Protocol.DnsName.Parse("www.example.com."), "eu"));
            ThreadPool.GetAvailableThreads(out int workers, out _);
            Assert.Fail($"the report did not leave the answers: report {(load is { } l ? $"valid={l.Valid}" : "gone")}, " +
                $"thread pool {ThreadPool.ThreadCount} threads, {workers} available, {ThreadPool.PendingWorkItemCount} pending");
        }
        // Unknown load is an idle region: every network is back.
        Assert.Empty(MovedFrom(await AnswersAsync(server, "www.example.com"), "eu"));
    }

    [Fact]
    public async Task SpillByCapacity_SplitsInProportionToSpareCapacity()
    {
        await using var server = await SheddingSetup.StartAsync();
        await SheddingSetup.ReportAsync(server, "cap.example.com", "eu", new LoadReport(0.95, null, null, null));
        // us: 3000 × (1 − 0.5) = 1500 spare; ap: 1000 × (1 − 0.5) = 500: three quarters go to us.
        await SheddingSetup.ReportAsync(server, "cap.example.com", "us", new LoadReport(0.5, null, null, null));
        await SheddingSetup.ReportAsync(server, "cap.example.com", "ap", new LoadReport(null, null, 500, null));
        var answers = await AnswersAsync(server, "cap.example.com");
        Assert.DoesNotContain("eu", answers.Values);
        Assert.InRange(answers.Values.Count(r => r == "us") / (double)Networks, 0.70, 0.80);
    }

    [Fact]
    public async Task DownRegion_ClientsSpillByCapacityToo()
    {
        await using var server = await SheddingSetup.StartAsync();
        // eu is down in the admin file; us reports 0.5 of 3000 (1500 spare), ap nothing (weight 100 counts).
        await SheddingSetup.ReportAsync(server, "down.example.com", "us", new LoadReport(0.5, null, null, null));
        var answers = await AnswersAsync(server, "down.example.com");
        Assert.DoesNotContain("eu", answers.Values);
        Assert.InRange(answers.Values.Count(r => r == "us") / (double)Networks, 1500 / 1600.0 - 0.05, 1500 / 1600.0 + 0.05);
        // spill: next would have sent all of them to us; with capacity ap takes its share.
        Assert.Contains("ap", answers.Values);
    }

    [Fact]
    public async Task EveryRegionAtFull_KeepsClientsOnTheirFirstPreference()
    {
        await using var server = await SheddingSetup.StartAsync();
        foreach (var region in new[] { "eu", "us", "ap" })
        {
            await SheddingSetup.ReportAsync(server, "www.example.com", region, new LoadReport(0.99, null, null, null));
        }
        var answers = await AnswersAsync(server, "www.example.com");
        Assert.All(answers.Values, r => Assert.Equal("eu", r));
    }
}
