using System.Diagnostics;
using System.Net;

namespace GslbDns.Bench.Failover;

/// <summary>The outcome of one variant: how long failover and recovery took, try by try.</summary>
public sealed record VariantResult(string Variant, Timings Failover, Timings Recovery, int NoReplies, int Queries);

/// <summary>The outcome of the flap run.</summary>
public sealed record FlapResult(TimeSpan Duration, int VerdictChanges, int HealthPolls, int AnswersNotA, int Queries, int NoReplies, int ProbesServed);

/// <summary>
/// Failover and recovery measured from outside, as a client sees them: an LB is broken at a
/// random point of its probe schedule and DNS is asked every 20 ms until the answer moves.
/// </summary>
public sealed class Runs(GslbProcess server, StandInLb lbA, Random random)
{
    private static readonly TimeSpan QueryEvery = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StableFor = TimeSpan.FromMilliseconds(1200); // longer than one interval
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly DnsAsker _asker = new(server.Dns, GslbProcess.Service, TimeSpan.FromMilliseconds(100));
    private int _queries, _noReplies;

    public async Task<VariantResult> FailoverAsync(string variant, LbMode broken, int tries, TextWriter log)
    {
        var failover = new Timings();
        var recovery = new Timings();
        _queries = _noReplies = 0;
        for (int i = 1; i <= tries; i++)
        {
            await UntilStableOnAAsync();
            await Task.Delay(random.Next(0, 1001));
            lbA.Set(broken);
            var down = await UntilAsync(a => a.Replied && !a.Names(GslbProcess.TargetA), $"{variant} try {i}: answers left a");
            // Restarted at a random point too: straight after the down verdict, the next probe would
            // always be one interval after the probe that decided it, and recovery would be a constant.
            await Task.Delay(random.Next(0, 1001));
            lbA.Set(LbMode.Up);
            var up = await UntilAsync(a => a.Names(GslbProcess.TargetA), $"{variant} try {i}: answers came back to a");
            failover.Add(down);
            recovery.Add(up);
            log.WriteLine($"# {variant} try {i}/{tries}: failover {down.TotalMilliseconds:F0} ms, recovery {up.TotalMilliseconds:F0} ms");
        }
        return new VariantResult(variant, failover, recovery, _noReplies, _queries);
    }

    public async Task<FlapResult> FlapAsync(TimeSpan duration)
    {
        await UntilStableOnAAsync();
        _queries = _noReplies = 0;
        int servedBefore = lbA.Served;
        lbA.Set(LbMode.Flapping);
        var clock = Stopwatch.StartNew();
        int changes = 0, polls = 0, notA = 0;
        var health = Task.Run(async () =>
        {
            string? last = "up";
            while (clock.Elapsed < duration)
            {
                var start = clock.Elapsed;
                var now = await server.RegionHealthAsync("a") ?? throw new InvalidOperationException("GET /api/v1/health failed during the flap run");
                polls++;
                if (now != last) changes++;
                last = now;
                await PaceAsync(clock, start, TimeSpan.FromMilliseconds(200));
            }
        });
        while (clock.Elapsed < duration)
        {
            var start = clock.Elapsed;
            var answer = await AskAsync();
            if (answer.Replied && !answer.Names(GslbProcess.TargetA)) notA++;
            await PaceAsync(clock, start, QueryEvery);
        }
        await health;
        lbA.Set(LbMode.Up);
        return new FlapResult(duration, changes, polls, notA, _queries, _noReplies, lbA.Served - servedBefore);
    }

    /// <summary>Waits until every answer for <see cref="StableFor"/> names a, so the checker is back on its normal interval.</summary>
    private async Task UntilStableOnAAsync()
    {
        var clock = Stopwatch.StartNew();
        var since = TimeSpan.Zero;
        while (clock.Elapsed < Deadline)
        {
            var start = clock.Elapsed;
            if (!(await AskAsync()).Names(GslbProcess.TargetA)) since = clock.Elapsed;
            else if (clock.Elapsed - since >= StableFor) return;
            await PaceAsync(clock, start, QueryEvery);
        }
        throw new TimeoutException($"answers did not settle on a within {Deadline.TotalSeconds} s");
    }

    /// <summary>Asks every 20 ms (start to start) until an answer satisfies <paramref name="done"/>; returns when that answer arrived.</summary>
    private async Task<TimeSpan> UntilAsync(Func<DnsAnswer, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Deadline)
        {
            var start = clock.Elapsed;
            if (done(await AskAsync())) return clock.Elapsed;
            await PaceAsync(clock, start, QueryEvery);
        }
        throw new TimeoutException($"{what}: not within {Deadline.TotalSeconds} s");
    }

    private async Task<DnsAnswer> AskAsync()
    {
        if (server.HasExited) throw new InvalidOperationException("gslbdns exited:\n" + server.LastLines());
        var answer = await _asker.AskAsync();
        Interlocked.Increment(ref _queries);
        if (!answer.Replied) Interlocked.Increment(ref _noReplies);
        return answer;
    }

    private static Task PaceAsync(Stopwatch clock, TimeSpan start, TimeSpan every)
    {
        var wait = start + every - clock.Elapsed;
        return wait > TimeSpan.Zero ? Task.Delay(wait) : Task.CompletedTask;
    }
}
