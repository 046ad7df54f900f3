using System.Net;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>API drains shared through a real three-member etcd, kept in each instance's state folder too.</summary>
public sealed class ClusterDrainTests
{
    [EtcdFact]
    public async Task DrainThroughB_DrainsAAndC_PersistsThroughARestartOfA_AndUndrainReachesAll()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd);
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", "198.51.100.10", TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, await cluster.DrainAsync(1, "www.example.com", "eu", drain: true));
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", "192.0.2.10", TimeSpan.FromSeconds(5));
        // A learnt it from etcd and saved it in its own state folder.
        Assert.Contains("\"region\": \"eu\"", await File.ReadAllTextAsync(Path.Combine(cluster.Roots[0], "state", "drains.json")));

        await cluster.StopInstanceAsync(0);
        await cluster.StartInstanceAsync(0);
        Assert.Equal("192.0.2.10", await cluster.AnswerAsync(0, "www"));

        Assert.Equal(HttpStatusCode.OK, await cluster.DrainAsync(2, "www.example.com", "eu", drain: false));
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", "198.51.100.10", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("\"region\": \"eu\"", await File.ReadAllTextAsync(Path.Combine(cluster.Roots[0], "state", "drains.json")));
    }

    [EtcdFact]
    public async Task WithEtcdDown_ARestartedInstanceKeepsTheDrainsLastSeen_AndADrainIsRefusedChangingNothing()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd, instances: 2);
        Assert.Equal(HttpStatusCode.OK, await cluster.DrainAsync(0, "www.example.com", "eu", drain: true));
        await cluster.WaitForAnswerAsync([0, 1], "www", "192.0.2.10", TimeSpan.FromSeconds(5));

        for (int i = 0; i < etcd.Count; i++) await etcd.StopAsync(i);
        await cluster.StopInstanceAsync(1);
        await cluster.StartInstanceAsync(1);
        Assert.Equal("192.0.2.10", await cluster.AnswerAsync(1, "www"));

        // A change that cannot reach the shared store is refused, here and there nothing changes.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await cluster.DrainAsync(1, "www.example.com", "eu", drain: false));
        Assert.Equal("192.0.2.10", await cluster.AnswerAsync(0, "www"));
        Assert.Equal("192.0.2.10", await cluster.AnswerAsync(1, "www"));
    }
}
