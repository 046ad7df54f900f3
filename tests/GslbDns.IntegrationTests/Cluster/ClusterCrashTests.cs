using System.Globalization;
using System.Net;
using GslbDns.Protocol;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// An instance crashing while load reports stream in: a 204 means the report is in etcd, so every
/// report a crashed instance answered 204 is held by the others afterwards.
/// </summary>
public sealed class ClusterCrashTests
{
    /// <summary>Reports the region over and over with a rising cpu (n / 100000); returns the highest n answered 204.</summary>
    private static async Task<int> StreamAsync(ClusterScenario cluster, int index, string region, CancellationToken stop)
    {
        int acked = 0;
        for (int n = 1; !stop.IsCancellationRequested; n++)
        {
            try
            {
                using var response = await cluster.PostAsync(index, $"/api/v1/load/www.example.com/{region}",
                    string.Create(CultureInfo.InvariantCulture, $"{{\"cpu\":{n / 100000.0},\"ttl\":120}}"));
                if (response.StatusCode == HttpStatusCode.NoContent) acked = n;
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                // The instance is gone (or going): nothing more it answers counts.
                if (cluster.Servers[index] is null) return acked;
            }
        }
        return acked;
    }

    private static double CpuOf(ClusterScenario cluster, int index, string region)
    {
        var state = cluster.State(index);
        var key = state.FindRegion(DnsName.Parse("www.example.com."), region)!.Value.Key;
        return state.LoadOf(key) is { } load ? load.Load.Report.Cpu ?? 0 : 0;
    }

    [EtcdFact]
    public async Task InstanceCrashesMidStream_EveryReportItAnswered204IsOnTheOthers()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd);
        for (int i = 0; i < 3; i++) await ClusterTlsTests.WaitForStoreAsync(cluster, i, "up");

        using var stop = new CancellationTokenSource();
        var toA = Task.Run(() => StreamAsync(cluster, 0, "eu", stop.Token));
        var toB = Task.Run(() => StreamAsync(cluster, 1, "us", stop.Token));
        await Reloading.Poll.UntilAsync(() => Task.FromResult(CpuOf(cluster, 2, "eu") > 0.0005 && CpuOf(cluster, 2, "us") > 0.0005),
            "reports through a and b arriving on c", TimeSpan.FromSeconds(30));

        await cluster.CrashInstanceAsync(0);
        int ackedA = await toA.WaitAsync(TimeSpan.FromSeconds(30));
        double usAtCrash = CpuOf(cluster, 2, "us");
        await Reloading.Poll.UntilAsync(() => Task.FromResult(CpuOf(cluster, 2, "us") > usAtCrash + 0.0002),
            "b's reports still arriving on c after a's crash", TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        int ackedB = await toB.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ackedA > 50, $"only {ackedA} reports answered 204 by a");
        double lastA = ackedA / 100000.0, lastB = ackedB / 100000.0;
        // Reports only ever rise, so holding the last one answered 204 (or a later one) is holding them all.
        await Reloading.Poll.UntilAsync(() => Task.FromResult(
                CpuOf(cluster, 1, "eu") >= lastA && CpuOf(cluster, 2, "eu") >= lastA && CpuOf(cluster, 2, "us") >= lastB),
            $"a's last 204 report (cpu {lastA}) on b and c, b's (cpu {lastB}) on c", TimeSpan.FromSeconds(15));
    }
}
