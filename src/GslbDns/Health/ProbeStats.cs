using GslbDns.Health.Probes;
using GslbDns.Metrics;

namespace GslbDns.Health;

/// <summary>
/// What one check's probes did since it started: results by outcome and their durations, for the
/// metrics. Lives as long as the check (a check whose definition changes starts again at zero, which
/// Prometheus reads as a counter reset).
/// </summary>
public sealed class ProbeStats
{
    public static readonly string[] Outcomes = ["success", "failure", "timeout"];

    /// <summary>Duration buckets in microseconds: 1 ms to 10 s, around the usual probe timeouts.</summary>
    public static readonly long[] DurationBounds = [1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

    private readonly long[] _outcomes = new long[Outcomes.Length];

    internal BucketHistogram Durations { get; } = new(DurationBounds, scale: 1e-6);

    public void Record(ProbeResult result)
    {
        int outcome = result.Success ? 0 : result.Detail.StartsWith("timeout", StringComparison.Ordinal) ? 2 : 1;
        Interlocked.Increment(ref _outcomes[outcome]);
        Durations.Observe(0, (long)result.Latency.TotalMicroseconds);
    }

    public long Count(int outcome) => Volatile.Read(ref _outcomes[outcome]);
}
