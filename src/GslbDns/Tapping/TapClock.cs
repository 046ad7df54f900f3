using System.Diagnostics;

namespace GslbDns.Tapping;

/// <summary>
/// Turns the pipeline's <see cref="Stopwatch"/> timestamps into wall-clock time on the writer
/// thread, so the query path reads no clock beyond the two timestamps it already takes. The pair
/// (wall time, timestamp) it counts from is taken again every second: the two clocks drift apart
/// (NTP slews the wall clock, not the monotonic one), and a fresh pair keeps the error to that
/// second's drift.
/// </summary>
public sealed class TapClock
{
    private static readonly long ResyncTicks = Stopwatch.Frequency;

    private readonly TimeProvider _time;
    private long _baseTimestamp;
    private long _baseUtcTicks;

    public TapClock(TimeProvider time)
    {
        _time = time;
        Resync();
    }

    /// <summary>Takes a new pair when the last one is a second old; call it from the writer thread.</summary>
    public void Tick()
    {
        if (Stopwatch.GetTimestamp() - _baseTimestamp >= ResyncTicks) Resync();
    }

    public DateTime ToUtc(long timestamp)
    {
        long ticks = _baseUtcTicks + (long)((timestamp - _baseTimestamp) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    /// <summary>Microseconds between two timestamps.</summary>
    public static long Microseconds(long from, long to) => (long)((to - from) * (1_000_000.0 / Stopwatch.Frequency));

    private void Resync()
    {
        _baseTimestamp = Stopwatch.GetTimestamp();
        _baseUtcTicks = _time.GetUtcNow().UtcTicks;
    }
}
