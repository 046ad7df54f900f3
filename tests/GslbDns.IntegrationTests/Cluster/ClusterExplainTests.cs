using GslbDns.Health;
using GslbDns.IntegrationTests.Process;
using GslbDns.Steering.State;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// <c>gslbdns explain</c> (the real executable) against a clustered instance's real API, with the
/// instances disagreeing (the stand-in LB fails only instance a's probes): it prints every
/// instance's vote, which one is the server asked, and how the agree rule combined them.
/// </summary>
public sealed class ClusterExplainTests
{
    /// <summary>Waits until instance <paramref name="index"/> holds the up votes of every instance but a.</summary>
    private static Task WaitForUpVotesAsync(ClusterScenario cluster, int index) =>
        Reloading.Poll.UntilAsync(() =>
        {
            var votes = cluster.State(index).PeerVotesOf(ClusterHealthTests.KeyOfA(cluster, index));
            return Task.FromResult(new[] { "b", "c" }.Where(n => n != ClusterScenario.NameOf(index))
                .All(n => votes.Contains(new PeerVote(n, HealthStatus.Up))));
        }, $"the up votes of b and c on {ClusterScenario.NameOf(index)}", TimeSpan.FromSeconds(15));

    private static async Task<string> VotesLineAsync(ClusterScenario cluster, int index)
    {
        using var explain = ServerProcess.Start("explain", "hc.example.com", "--zones", Path.Combine(cluster.Roots[index], "zones"),
            "--server", cluster[index].ApiBase!.ToString());
        int code = await explain.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"explain exited {code}: {explain.Stderr}");
        var lines = explain.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("votes:", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length == 1, $"expected one votes line (one checked address):\n{explain.Stdout}");
        return lines[0];
    }

    [EtcdFact]
    public async Task Explain_OnAClusteredInstance_PrintsEachInstancesVoteAndTheAgreedVerdict()
    {
        if (!ClusterScenario.Supported) return;
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd, agree: "quorum");
        cluster.Lb.FailFrom = ClusterScenario.SourceOf(0);
        await ClusterHealthTests.WaitForDownVoteOfAAsync(cluster, 1);
        await WaitForUpVotesAsync(cluster, 0);
        await WaitForUpVotesAsync(cluster, 1);

        // Asked a, which sees the address down: its own vote first, the others', then quorum's verdict.
        var onA = await VotesLineAsync(cluster, 0);
        Assert.StartsWith("votes: a (this server) down, ", onA, StringComparison.Ordinal);
        Assert.Contains("b up", onA, StringComparison.Ordinal);
        Assert.Contains("c up", onA, StringComparison.Ordinal);
        Assert.EndsWith("; 1 of 3 down, agree quorum: up", onA, StringComparison.Ordinal);

        // Asked b: the same votes, b's marked as its own.
        var onB = await VotesLineAsync(cluster, 1);
        Assert.StartsWith("votes: b (this server) up, ", onB, StringComparison.Ordinal);
        Assert.Contains("a down", onB, StringComparison.Ordinal);
        Assert.Contains("c up", onB, StringComparison.Ordinal);
        Assert.EndsWith("; 1 of 3 down, agree quorum: up", onB, StringComparison.Ordinal);
    }
}
