using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using GslbDns.Bench.Failover;

namespace GslbDns.Bench.Cluster;

/// <summary>The outcome of the report runs: per report, when the receiving member and when all three answered the new way.</summary>
public sealed record PropagationResult(Timings All, Timings Receiver, Timings Others, Timings Post, int Reports, int TimedOut);

/// <summary>
/// Report propagation: a load report for www's region a is posted to one member (in turn), alternately
/// high (cpu 0.99, over shed.full: www moves to b) and low (cpu 0.10: back to a), and each member is
/// asked www A over UDP every millisecond or so until it names the new target.
/// </summary>
public sealed class Propagation(IReadOnlyList<Member> members, string secret, Random random)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public async Task<PropagationResult> RunAsync(int reports, TextWriter log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var askers = members.Select(m => new DnsAsker(m.Dns, Member.Www, TimeSpan.FromMilliseconds(200))).ToArray();
        var all = new Timings();
        var receiver = new Timings();
        var others = new Timings();
        var post = new Timings();
        int timedOut = 0;

        // Start from a known state: a low report, every member on a.
        await PostAsync(http, members[0], 0.10);
        await Task.WhenAll(askers.Select(a => UntilAsync(a, Member.WwwA, Stopwatch.StartNew(), TimeSpan.FromSeconds(30))));

        for (int i = 0; i < reports; i++)
        {
            bool high = i % 2 == 0;
            string expected = high ? Member.WwwB : Member.WwwA;
            int to = i % members.Count;
            var clock = Stopwatch.StartNew();
            var waits = askers.Select(a => UntilAsync(a, expected, clock, Deadline)).ToArray();
            await PostAsync(http, members[to], high ? 0.99 : 0.10);
            post.Add(clock.Elapsed);
            var seen = await Task.WhenAll(waits);
            if (seen.Any(s => s is null))
            {
                timedOut++;
                log.WriteLine($"# report {i + 1}/{reports} to {members[to].Name}: not everywhere within {Deadline.TotalSeconds:F0} s ({string.Join(", ", seen.Select(s => s?.TotalMilliseconds.ToString("F0") ?? "-"))})");
                await Task.WhenAll(askers.Select(a => UntilAsync(a, expected, Stopwatch.StartNew(), TimeSpan.FromSeconds(30))));
                continue;
            }
            var times = seen.Select(s => s!.Value).ToArray();
            all.Add(times.Max());
            receiver.Add(times[to]);
            others.Add(times.Where((_, k) => k != to).Max());
            if ((i + 1) % 20 == 0 || i < 3)
                log.WriteLine($"# report {i + 1}/{reports} to {members[to].Name} (cpu {(high ? "0.99" : "0.10")}): {string.Join(" / ", times.Select(t => t.TotalMilliseconds.ToString("F1")))} ms");
            // A pause, so one report is propagated before the next: 50-100 ms.
            await Task.Delay(50 + random.Next(0, 51));
        }
        return new PropagationResult(all, receiver, others, post, reports, timedOut);
    }

    private async Task PostAsync(HttpClient http, Member member, double cpu)
    {
        var body = new StringContent($"{{\"cpu\":{cpu.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"ttl\":60}}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(member.ApiBase, "api/v1/load/www.example.com/a"), body);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"report to {member.Name} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Asks until the answer names <paramref name="target"/>; the time on <paramref name="clock"/> that answer arrived, or null at the deadline.</summary>
    internal static async Task<TimeSpan?> UntilAsync(DnsAsker asker, string target, Stopwatch clock, TimeSpan deadline)
    {
        while (clock.Elapsed < deadline)
        {
            if ((await asker.AskAsync()).Names(target)) return clock.Elapsed; // the reply's arrival: an upper bound
            await Task.Delay(1);
        }
        return null;
    }
}
