namespace GslbDns.IntegrationTests.Cluster;

/// <summary>Load reports shared through a real three-member etcd: accepted by one instance, steering all of them.</summary>
public sealed class ClusterLoadTests
{
    [EtcdFact]
    public async Task ReportToOneInstance_ShedsOnTheOthersWithinASecond_AndItsExpiryReturnsThem()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd);
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", "198.51.100.10", TimeSpan.FromSeconds(10));

        // eu at 0.95: past full shedding, every client moves on to us, on every instance.
        await cluster.ReportAsync(0, "eu", 0.95, ttlSeconds: 4);
        var took = await cluster.WaitForAnswerAsync([1, 2], "www", "192.0.2.10", TimeSpan.FromSeconds(1));
        Assert.Equal("192.0.2.10", await cluster.AnswerAsync(0, "www"));

        // The ttl runs out on every instance: eu answers again.
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", "198.51.100.10", TimeSpan.FromSeconds(15));
        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took}");
    }

    [EtcdFact]
    public async Task NewerReportThroughAnotherInstance_ReplacesTheOlderEverywhere()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd);
        await cluster.ReportAsync(0, "eu", 0.95, ttlSeconds: 60);
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", "192.0.2.10", TimeSpan.FromSeconds(5));

        await cluster.ReportAsync(2, "eu", 0.10, ttlSeconds: 60);
        await cluster.WaitForAnswerAsync([0, 1, 2], "www", "198.51.100.10", TimeSpan.FromSeconds(5));
    }
}
