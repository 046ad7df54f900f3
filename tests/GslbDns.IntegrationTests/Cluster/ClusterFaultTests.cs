using System.Net;
using ARSoft.Tools.Net.Dns;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// etcd failing under three instances while queries stream in: one member lost changes nothing; all
/// lost, the instances answer on with the last drains and, once stale, their own health; etcd back,
/// they converge again without a restart.
/// </summary>
public sealed class ClusterFaultTests
{
    private const string RegionA = "127.0.0.31", RegionB = "192.0.2.99", Eu = "198.51.100.10", Us = "192.0.2.10";

    private static async Task WaitForStoreAsync(ClusterScenario cluster, int index, string store, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (!(last = await cluster.GetAsync(index, "/api/v1/status")).Contains($"\"store\": \"{store}\"", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"instance {ClusterScenario.NameOf(index)} never reported the store {store}");
            await Task.Delay(100);
        }
    }

    [EtcdFact]
    public async Task EtcdMembersStopped_OneChangesNothing_AllKeepAnswers_RestartedTheyConverge_NoQueryLost()
    {
        if (!ClusterScenario.Supported) return;
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd, agree: "any");
        cluster.Lb.FailFrom = ClusterScenario.SourceOf(0);
        await cluster.WaitForAnswerAsync([0, 1, 2], "hc", RegionB, TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, await cluster.DrainAsync(0, "www.example.com", "eu", drain: true));
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", Us, TimeSpan.FromSeconds(5));

        // A stream of queries to every instance for the whole test: none may go unanswered.
        using var stop = new CancellationTokenSource();
        long answered = 0, lost = 0;
        var stream = Task.Run(async () =>
        {
            var query = new Infrastructure.QueryBuilder().Build("www.example.com", (ushort)RecordType.A);
            while (!stop.IsCancellationRequested)
            {
                for (int i = 0; i < 3; i++)
                {
                    if (await cluster[i].Client.UdpRawAsync(query, TimeSpan.FromSeconds(2)) is null) Interlocked.Increment(ref lost);
                    else Interlocked.Increment(ref answered);
                }
                await Task.Delay(5);
            }
        });

        // One member of three lost: the instances move to another, drains still change everywhere.
        await etcd.StopAsync(0);
        Assert.Equal(HttpStatusCode.OK, await cluster.DrainAsync(1, "www.example.com", "eu", drain: false));
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", Eu, TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, await cluster.DrainAsync(2, "www.example.com", "eu", drain: true));
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", Us, TimeSpan.FromSeconds(10));
        for (int i = 0; i < 3; i++) Assert.Equal(RegionB, await cluster.AnswerAsync(i, "hc"));
        for (int i = 0; i < 3; i++) Assert.Contains("\"store\": \"up\"", await cluster.GetAsync(i, "/api/v1/status"));

        // All lost: once stale, b and c go by their own checks (a up), a by its own (a down); drains stay.
        await etcd.StopAsync(1);
        await etcd.StopAsync(2);
        for (int i = 0; i < 3; i++) await WaitForStoreAsync(cluster, i, "stale", TimeSpan.FromSeconds(20));
        await cluster.WaitForAnswerAsync([1, 2], "hc", RegionA, TimeSpan.FromSeconds(10));
        Assert.Equal(RegionB, await cluster.AnswerAsync(0, "hc"));
        for (int i = 0; i < 3; i++) Assert.Equal(Us, await cluster.AnswerAsync(i, "www"));
        var metrics = await cluster.GetAsync(1, "/metrics");
        Assert.Contains("gslbdns_cluster_store_stale 1", metrics);
        using (var ready = await new HttpClient().GetAsync(new Uri(cluster[1].ApiBase!, "/readyz"))) Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        // etcd back: the instances resynchronise on their own, a's vote counts again, drains change again.
        for (int i = 0; i < etcd.Count; i++) etcd.Start(i);
        await etcd.WaitHealthyAsync();
        for (int i = 0; i < 3; i++) await WaitForStoreAsync(cluster, i, "up", TimeSpan.FromSeconds(30));
        await cluster.WaitForAnswerAsync([0, 1, 2], "hc", RegionB, TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, await cluster.DrainAsync(1, "www.example.com", "eu", drain: false));
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", Eu, TimeSpan.FromSeconds(10));

        stop.Cancel();
        await stream;
        Assert.Equal(0, Interlocked.Read(ref lost));
        Assert.True(Interlocked.Read(ref answered) > 300, $"only {answered} queries answered");
    }
}
