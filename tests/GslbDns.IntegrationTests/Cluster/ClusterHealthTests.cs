using GslbDns.Health;
using GslbDns.Steering.State;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// Health votes through a real etcd: the stand-in LB of region a answers 503 to instance a's probes
/// (from 127.0.0.101) and 200 to the others', so the instances disagree and the policy's agree rule decides.
/// </summary>
public sealed class ClusterHealthTests
{
    private const string RegionA = "127.0.0.31", RegionB = "192.0.2.99";

    internal static AddressKey KeyOfA(ClusterScenario cluster, int index) =>
        new(cluster.State(index).FindRegion(GslbDns.Protocol.DnsName.Parse("hc.example.com."), "a")!.Value.Key.Service, "a",
            GslbDns.Cluster.ClusterKeys.ToKey(System.Net.IPAddress.Parse(RegionA)));

    /// <summary>Waits until instance <paramref name="index"/> holds instance a's down vote.</summary>
    internal static async Task WaitForDownVoteOfAAsync(ClusterScenario cluster, int index)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!cluster.State(index).PeerVotesOf(KeyOfA(cluster, index)).Contains(new PeerVote("a", HealthStatus.Down)))
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"instance {ClusterScenario.NameOf(index)} never saw a's down vote");
            await Task.Delay(50);
        }
    }

    [EtcdFact]
    public async Task OneInstanceSeesDown_UnderQuorum_StaysUpOnAll()
    {
        if (!ClusterScenario.Supported) return;
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd, agree: "quorum");
        cluster.Lb.FailFrom = ClusterScenario.SourceOf(0);
        await WaitForDownVoteOfAAsync(cluster, 1);
        await WaitForDownVoteOfAAsync(cluster, 2);
        Assert.Equal(HealthStatus.Down, cluster.State(0).HealthOf(KeyOfA(cluster, 0)));

        // One down vote of three: still up, also on the instance that sees it down.
        for (int i = 0; i < 3; i++) Assert.Equal(RegionA, await cluster.AnswerAsync(i, "hc"));
        var explained = await cluster.GetAsync(0, "/api/v1/health");
        Assert.Contains("\"agree\": \"quorum\"", explained);
    }

    [EtcdFact]
    public async Task OneInstanceSeesDown_UnderAny_GoesDownOnAll_AndACrashedVotersVoteExpires()
    {
        if (!ClusterScenario.Supported) return;
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd, agree: "any");
        await cluster.WaitForAnswerAsync([0, 1, 2], "hc", RegionA, TimeSpan.FromSeconds(10));
        cluster.Lb.FailFrom = ClusterScenario.SourceOf(0);
        await cluster.WaitForAnswerAsync([0, 1, 2], "hc", RegionB, TimeSpan.FromSeconds(15));

        // a dies without a word: its lease (3 check intervals) runs out and its vote with it.
        await cluster.CrashInstanceAsync(0);
        await cluster.WaitForAnswerAsync([1, 2], "hc", RegionA, TimeSpan.FromSeconds(15));
    }
}
