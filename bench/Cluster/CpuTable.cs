using System.Globalization;
using System.Text.Json;

namespace GslbDns.Bench.Cluster;

/// <summary>
/// The CPU part's table from the harness's results.jsonl: per scenario, each target's server CPU
/// µs per query (median over runs, min-max), the ratio clustered / alone, and whether it is within
/// noise: the two targets' run ranges overlap.
/// </summary>
public static class CpuTable
{
    public static int Write(string resultsJsonl, string alone, string clustered, TextWriter output)
    {
        var runs = File.ReadLines(resultsJsonl).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var ratios = new List<double>();
        var scenarios = runs.Select(r => r.GetProperty("scenario").GetString()!).Distinct().ToList();
        output.WriteLine("| scenario | alone: srv µs/q (min-max) | clustered: srv µs/q (min-max) | clustered / alone | within noise | kQPS alone / clustered | lost |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var scenario in scenarios)
        {
            var a = Of(runs, scenario, alone);
            var c = Of(runs, scenario, clustered);
            if (a.UsPerQ.Count == 0 || c.UsPerQ.Count == 0) continue;
            double ma = Median(a.UsPerQ), mc = Median(c.UsPerQ);
            ratios.Add(mc / ma);
            bool overlap = a.UsPerQ.Min() <= c.UsPerQ.Max() && c.UsPerQ.Min() <= a.UsPerQ.Max();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenario} | {ma:F2} ({a.UsPerQ.Min():F2}-{a.UsPerQ.Max():F2}) | {mc:F2} ({c.UsPerQ.Min():F2}-{c.UsPerQ.Max():F2}) | " +
                $"{mc / ma:F3} | {(overlap ? "yes" : "no")} | {Median(a.Qps) / 1000:F1} / {Median(c.Qps) / 1000:F1} | {a.Lost + c.Lost} |"));
        }
        if (ratios.Count > 1)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| all (geometric mean) | | | {Math.Exp(ratios.Average(Math.Log)):F3} | | | |"));
        return 0;
    }

    private static (List<double> UsPerQ, List<double> Qps, long Lost) Of(List<JsonElement> runs, string scenario, string label)
    {
        var mine = runs.Where(r => r.GetProperty("scenario").GetString() == scenario && r.GetProperty("label").GetString() == label).ToList();
        var us = mine.Select(r => r.TryGetProperty("srv_us_per_q", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN)
            .Where(v => !double.IsNaN(v)).ToList();
        return (us, mine.Select(r => r.GetProperty("qps").GetDouble()).ToList(), mine.Sum(r => r.GetProperty("lost").GetInt64()));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
