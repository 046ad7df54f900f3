using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace GslbDns.Bench.Cluster;

/// <summary>
/// The report stream of the CPU part: <c>rate</c> reports a second for www's regions ap, eu and us in
/// turn (cpu 0.20-0.70, below the shed start, so the answers the harness checks stay the same). Each
/// report goes to one cluster member in turn and to the instance alone, so both measured servers
/// apply every report once: the alone one over its API, the clustered one over its API or, for the
/// reports its peer took, through etcd. One keep-alive connection per server, paced by the clock.
/// </summary>
public static class Poster
{
    private static readonly string[] Regions = ["ap", "eu", "us"];

    public static async Task<int> RunAsync(double rate, string secret, Uri[] members, Uri alone, CancellationToken token)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var random = new Random(1);
        long sent = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        while (!token.IsCancellationRequested)
        {
            string region = Regions[sent % Regions.Length];
            string body = string.Create(CultureInfo.InvariantCulture,
                $"{{\"cpu\":{0.2 + random.NextDouble() * 0.5:F3},\"memory\":0.5,\"connections\":{random.Next(1000, 3000)},\"ttl\":30}}");
            var member = members[(sent / Regions.Length) % members.Length];
            var results = await Task.WhenAll(PostAsync(http, member, region, body), PostAsync(http, alone, region, body));
            failed += results.Count(ok => !ok);
            sent++;
            if (sent % (long)(rate * 10) == 0)
                Console.Error.WriteLine($"cluster poster: {sent} reports sent (x2), {failed} failed, {sent / clock.Elapsed.TotalSeconds:F0}/s");
            var delay = TimeSpan.FromSeconds(sent / rate) - clock.Elapsed;
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        Console.Error.WriteLine($"cluster poster: {sent} reports sent (x2), {failed} failed");
        return 0;
    }

    private static async Task<bool> PostAsync(HttpClient http, Uri server, string region, string body)
    {
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(server, "api/v1/load/www.example.com/" + region), content);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
