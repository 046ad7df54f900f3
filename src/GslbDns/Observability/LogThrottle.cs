namespace GslbDns.Observability;

/// <summary>
/// Lets one error log through per interval and counts the rest, so a flood of bad packets or a
/// failing socket cannot turn the log into per-packet output. Thread-safe and allocation-free.
/// </summary>
internal sealed class LogThrottle
{
    private readonly long _intervalMilliseconds;
    private long _nextAllowed;
    private int _suppressed;

    public LogThrottle(TimeSpan interval) => _intervalMilliseconds = (long)interval.TotalMilliseconds;

    /// <summary>True when this occurrence should be logged; <paramref name="suppressed"/> counts those skipped since the last one logged.</summary>
    public bool ShouldLog(out int suppressed)
    {
        var now = Environment.TickCount64;
        var next = Volatile.Read(ref _nextAllowed);
        if (now < next || Interlocked.CompareExchange(ref _nextAllowed, now + _intervalMilliseconds, next) != next)
        {
            Interlocked.Increment(ref _suppressed);
            suppressed = 0;
            return false;
        }
        suppressed = Interlocked.Exchange(ref _suppressed, 0);
        return true;
    }
}
