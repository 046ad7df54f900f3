using System.Net;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// A real etcd that serves https and demands client certificates of its CA: instances with such a
/// certificate share load reports; one with a certificate of another CA, or none, cannot reach the
/// store, says so in its status, and answers DNS on its own state.
/// </summary>
public sealed class ClusterTlsTests
{
    private const string Eu = "198.51.100.10", Us = "192.0.2.10";
    private const string Cert = "Server:ClusterEtcdCert", Key = "Server:ClusterEtcdKey", Ca = "Server:ClusterEtcdCa";

    [EtcdFact]
    public async Task ClientCertificates_ShareAReport_AForeignOrMissingCertificateLeavesTheStoreDownButDnsAnswering()
    {
        using var tls = EtcdTls.Create();
        await using var etcd = await EtcdCluster.StartAsync(tls: tls);
        await using var cluster = await ClusterScenario.StartAsync(etcd,
            extra: new() { [Cert] = tls.ClientCertFile, [Key] = tls.ClientKeyFile, [Ca] = tls.CaFile },
            overrides: i => i == 2 ? new() { [Cert] = tls.RogueCertFile, [Key] = tls.RogueKeyFile } : []);
        Assert.StartsWith("https://", etcd.Endpoints, StringComparison.Ordinal);
        await WaitForStoreAsync(cluster, 0, "up");
        await WaitForStoreAsync(cluster, 1, "up");

        // A report to a is in etcd (204) and sheds on b.
        await cluster.ReportAsync(0, "eu", 0.95, ttlSeconds: 60);
        await cluster.WaitForAnswerAsync([1], "www", Us, TimeSpan.FromSeconds(10));
        await AssertAloneAsync(cluster, 2);

        // c again, now with no client certificate at all (still trusting the CA): refused all the same.
        await cluster.StopInstanceAsync(2);
        cluster.Overrides[2] = new() { [Cert] = null, [Key] = null };
        await cluster.StartInstanceAsync(2);
        await AssertAloneAsync(cluster, 2);
        Assert.Equal(Us, await cluster.AnswerAsync(1, "www"));
    }

    /// <summary>The instance never reaches the store (stale, with the reason), answers DNS without the shared report, and accepts a report only locally.</summary>
    private static async Task AssertAloneAsync(ClusterScenario cluster, int index)
    {
        await WaitForStoreAsync(cluster, index, "stale");
        Assert.Contains("\"problem\":", await cluster.GetAsync(index, "/api/v1/status"), StringComparison.Ordinal);
        Assert.Equal(Eu, await cluster.AnswerAsync(index, "www"));
        using var response = await cluster.PostAsync(index, "/api/v1/load/www.example.com/ap", "{\"cpu\":0.5,\"ttl\":60}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("pending", response.Headers.GetValues("X-Gslbdns-Shared").Single());
    }

    /// <summary>Polls the instance's status until its store is <paramref name="store"/>.</summary>
    public static async Task WaitForStoreAsync(ClusterScenario cluster, int index, string store)
    {
        string last = "";
        await Reloading.Poll.UntilAsync(async () => (last = await cluster.StoreAsync(index)) == store,
            $"instance {ClusterScenario.NameOf(index)}'s store {store} (is {last})", TimeSpan.FromSeconds(30));
    }
}
