using System.Diagnostics;
using System.Net;
using GslbDns.Bench.Failover;

namespace GslbDns.Bench.Cluster;

/// <summary>The outcome of the agreement runs: time from the break (restore) to the first and to the last member answering the new way.</summary>
public sealed record AgreementResult(Timings DownFirst, Timings DownAll, Timings UpFirst, Timings UpAll, int Tries, int NoReplies, int Queries);

/// <summary>
/// LB failure agreement: api's region a LB (127.0.0.41) is broken (listener closed: probes are
/// refused) at a random point of the members' probe schedules; every member is asked api A over UDP
/// every 5 ms until each answers without a.api. After a random wait it is restored and the same
/// until each names a.api again.
/// </summary>
public sealed class Agreement(IReadOnlyList<Member> members, StandInLb lbA, Random random)
{
    private static readonly TimeSpan QueryEvery = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan StableFor = TimeSpan.FromMilliseconds(1200); // longer than one interval
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private int _queries, _noReplies;

    public async Task<AgreementResult> RunAsync(int tries, TextWriter log)
    {
        var askers = members.Select(m => new DnsAsker(m.Dns, Member.Api, TimeSpan.FromMilliseconds(100))).ToArray();
        var downFirst = new Timings();
        var downAll = new Timings();
        var upFirst = new Timings();
        var upAll = new Timings();
        for (int i = 1; i <= tries; i++)
        {
            await StableOnAAsync(askers);
            await Task.Delay(random.Next(0, 1001));
            var down = await MeasureAsync(askers, () => lbA.Set(LbMode.Refused), a => a.Replied && !a.Names(Member.ApiA), $"try {i}: answers left a");
            await Task.Delay(random.Next(0, 1001));
            var up = await MeasureAsync(askers, () => lbA.Set(LbMode.Up), a => a.Names(Member.ApiA), $"try {i}: answers came back to a");
            downFirst.Add(down.Min());
            downAll.Add(down.Max());
            upFirst.Add(up.Min());
            upAll.Add(up.Max());
            log.WriteLine($"# agreement try {i}/{tries}: down {string.Join(" / ", down.Select(t => t.TotalMilliseconds.ToString("F0")))} ms, " +
                          $"up {string.Join(" / ", up.Select(t => t.TotalMilliseconds.ToString("F0")))} ms");
        }
        return new AgreementResult(downFirst, downAll, upFirst, upAll, tries, _noReplies, _queries);
    }

    /// <summary>Makes the change and returns, per member, the time from it to the first answer that <paramref name="done"/> accepts.</summary>
    private async Task<TimeSpan[]> MeasureAsync(DnsAsker[] askers, Action change, Func<DnsAnswer, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        change();
        var seen = await Task.WhenAll(askers.Select(a => UntilAsync(a, done, clock)));
        if (seen.Any(s => s is null)) throw new TimeoutException($"{what}: not on every member within {Deadline.TotalSeconds:F0} s");
        return seen.Select(s => s!.Value).ToArray();
    }

    private async Task<TimeSpan?> UntilAsync(DnsAsker asker, Func<DnsAnswer, bool> done, Stopwatch clock)
    {
        while (clock.Elapsed < Deadline)
        {
            var answer = await asker.AskAsync();
            Interlocked.Increment(ref _queries);
            if (!answer.Replied) Interlocked.Increment(ref _noReplies);
            if (done(answer)) return clock.Elapsed;
            await Task.Delay(QueryEvery);
        }
        return null;
    }

    /// <summary>Every member names a.api for <see cref="StableFor"/> in a row: all checkers back on their 1 s interval.</summary>
    private static async Task StableOnAAsync(DnsAsker[] askers)
    {
        var until = Stopwatch.StartNew();
        var stable = Stopwatch.StartNew();
        while (stable.Elapsed < StableFor)
        {
            if (until.Elapsed > Deadline) throw new TimeoutException("members did not settle on a.api");
            var answers = await Task.WhenAll(askers.Select(a => a.AskAsync()));
            if (!answers.All(a => a.Names(Member.ApiA))) stable.Restart();
            await Task.Delay(20);
        }
    }
}
