using System.Globalization;

namespace GslbDns.Bench.Failover;

/// <summary>The markdown the benchmark prints: one table, the flap line and the targets.</summary>
public static class Report
{
    private static readonly (string Variant, double MedianMs)[] FailoverTargets = [("refused", 1000), ("blackhole", 2500)];
    private const double RecoveryTargetMs = 1500;

    public static void Write(TextWriter o, IReadOnlyList<VariantResult> results, FlapResult flap, int tries, int seed)
    {
        o.WriteLine($"Health check: `{GslbProcess.Health.Replace("{PORT}", "P", StringComparison.Ordinal)}`; DNS asked over UDP every 20 ms (100 ms timeout); seed {seed}.");
        o.WriteLine();
        o.WriteLine("| variant | tries | failover median | p90 | max | recovery median | p90 | max | queries without reply |");
        o.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
            o.WriteLine($"| {r.Variant} | {r.Failover.Count} | {Ms(r.Failover.Median)} | {Ms(r.Failover.P90)} | {Ms(r.Failover.Max)} | " +
                $"{Ms(r.Recovery.Median)} | {Ms(r.Recovery.P90)} | {Ms(r.Recovery.Max)} | {r.NoReplies} of {r.Queries} |");
        o.WriteLine();
        o.WriteLine($"Flap ({flap.Duration.TotalSeconds:F0} s, LB answering 200 and 503 alternately, {flap.ProbesServed} probes served): " +
            $"**{flap.VerdictChanges} verdict changes** of region a in {flap.HealthPolls} health polls (every 200 ms); " +
            $"{flap.AnswersNotA} of {flap.Queries} DNS answers did not name a.www ({flap.NoReplies} without reply).");
        o.WriteLine();
        o.WriteLine("Targets:");
        foreach (var (variant, target) in FailoverTargets)
        {
            var r = results.FirstOrDefault(x => x.Variant == variant);
            if (r is not null) o.WriteLine($"- {variant} failover median ≤ {target / 1000:F1} s: {Ms(r.Failover.Median)} ms, {Verdict(r.Failover.Median <= target)}");
        }
        foreach (var r in results)
            o.WriteLine($"- {r.Variant} recovery median ≤ {RecoveryTargetMs / 1000:F1} s: {Ms(r.Recovery.Median)} ms, {Verdict(r.Recovery.Median <= RecoveryTargetMs)}");
        o.WriteLine($"- no flap in {(flap.Duration.TotalSeconds >= 300 ? "5 minutes" : $"{flap.Duration.TotalSeconds:F0} s (target is 5 minutes)")}: " +
            $"{flap.VerdictChanges} changes, {flap.AnswersNotA} answers off a, {Verdict(flap.VerdictChanges == 0 && flap.AnswersNotA == 0)}");
        o.WriteLine();
        o.WriteLine("Raw (ms, in try order):");
        o.WriteLine();
        foreach (var r in results)
        {
            o.WriteLine($"- {r.Variant} failover: {r.Failover.All()}");
            o.WriteLine($"- {r.Variant} recovery: {r.Recovery.All()}");
        }
    }

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("F0", CultureInfo.InvariantCulture);

    private static string Verdict(bool met) => met ? "met" : "**missed**";
}
