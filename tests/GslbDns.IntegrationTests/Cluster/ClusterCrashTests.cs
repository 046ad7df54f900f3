using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using GslbDns.IntegrationTests.Process;
using GslbDns.Protocol;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// An instance killed (SIGKILL: no shutdown, nothing flushed) while load reports stream in: a 204
/// means the report is in etcd, so every report the dead instance answered 204 is held by the
/// others afterwards. Instance a is a real process for this; b and c run in the test.
/// </summary>
public sealed class ClusterCrashTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// Reports eu over and over, one at a time, with a rising cpu (n / 100000); returns the highest n
    /// answered 204. One at a time: each report then replaces the one before it, so the newest
    /// acknowledged report is the one the others must hold.
    /// </summary>
    private static async Task<int> StreamAsync(Uri api, CancellationToken stop)
    {
        int acked = 0;
        for (int n = 1; !stop.IsCancellationRequested; n++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "/api/v1/load/www.example.com/eu"))
                {
                    Content = new StringContent(string.Create(CultureInfo.InvariantCulture, $"{{\"cpu\":{n / 100000.0},\"ttl\":120}}"),
                        Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClusterScenario.Secret);
                using var response = await Http.SendAsync(request, stop);
                if (response.StatusCode == HttpStatusCode.NoContent) acked = n;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                return acked; // the instance is gone: nothing more it answers counts
            }
        }
        return acked;
    }

    private static double CpuOf(ClusterScenario cluster, int index)
    {
        var state = cluster.State(index);
        var key = state.FindRegion(DnsName.Parse("www.example.com."), "eu")!.Value.Key;
        return state.LoadOf(key) is { } load ? load.Load.Report.Cpu ?? 0 : 0;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [EtcdFact]
    public async Task InstanceKilledMidStream_EveryReportItAnswered204IsOnTheOthers()
    {
        await using var etcd = await EtcdCluster.StartAsync();
        await using var cluster = await ClusterScenario.StartAsync(etcd);
        await cluster.StopInstanceAsync(0);

        // a as the real executable, with the same files and settings it had in the test.
        var api = new Uri($"http://127.0.0.1:{FreePort()}/");
        var environment = cluster.SettingsOf(0).Where(s => s.Value is not null)
            .ToDictionary(s => "GSLBDNS_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["GSLBDNS_Server__ApiListen"] = $"127.0.0.1:{api.Port}";
        using var a = ServerProcess.Start(environment, "--zones", Path.Combine(cluster.Roots[0], "zones"), "--listen", "127.0.0.1:0");
        await Reloading.Poll.UntilAsync(async () =>
        {
            try
            {
                using var ready = await Http.GetAsync(new Uri(api, "/readyz"));
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"a (the process) ready; stderr: {a.Stderr}", TimeSpan.FromSeconds(60));

        using var stop = new CancellationTokenSource();
        var stream = Task.Run(() => StreamAsync(api, stop.Token));
        await Reloading.Poll.UntilAsync(() => Task.FromResult(CpuOf(cluster, 2) > 0.002),
            "a's reports arriving on c", TimeSpan.FromSeconds(60));

        // Killed while a report is in flight: no shutdown path runs, so only what was already in
        // etcd survives, and every 204 must have been.
        System.Diagnostics.Process.GetProcessById(a.Id).Kill();
        int acked = await stream.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();

        Assert.True(acked > 100, $"only {acked} reports answered 204 by a");
        double last = acked / 100000.0;
        await Reloading.Poll.UntilAsync(() => Task.FromResult(CpuOf(cluster, 1) >= last && CpuOf(cluster, 2) >= last),
            $"a's last 204 report (cpu {last}) on b and c", TimeSpan.FromSeconds(15));
    }
}
