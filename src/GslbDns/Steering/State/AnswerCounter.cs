namespace GslbDns.Steering.State;

/// <summary>
/// Counts the answers steered to one region, by the reason of each decision. The query path only
/// increments one cell of a few padded lines picked by thread, with an interlocked add: no lock, no
/// allocation, and threads on different cores do not fight over one cache line (a line holds the
/// seven reasons of one stripe). Readers add the cells up; a sampler keeps a ring of totals so the
/// share of answers over the last minute can be given.
/// </summary>
public sealed class AnswerCounter
{
    private const int Stripes = 16;

    /// <summary>One stripe per 64-byte line: a cell per reason (<see cref="SteeringReason"/> 1..7).</summary>
    private const int Stride = 8;

    /// <summary>Samples kept: 12 × 5 s = the last minute.</summary>
    public const int Samples = 12;

    private readonly long[] _cells = new long[Stripes * Stride];
    private readonly long[] _ring = new long[Samples + 1];
    private int _next;
    private int _filled;

    public void Increment(SteeringReason reason) =>
        Interlocked.Increment(ref _cells[(Environment.CurrentManagedThreadId & (Stripes - 1)) * Stride + ((int)reason & (Stride - 1))]);

    /// <summary>Every answer counted, whatever its reason.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _cells.Length; i++) total += Volatile.Read(ref _cells[i]);
            return total;
        }
    }

    /// <summary>Answers counted with <paramref name="reason"/>.</summary>
    public long Count(SteeringReason reason)
    {
        long total = 0;
        for (int i = 0; i < Stripes; i++) total += Volatile.Read(ref _cells[i * Stride + ((int)reason & (Stride - 1))]);
        return total;
    }

    /// <summary>Records the total now (called by one sampler, every <c>window / Samples</c>).</summary>
    public void Sample()
    {
        lock (_ring)
        {
            _ring[_next] = Total;
            _next = (_next + 1) % _ring.Length;
            _filled = Math.Min(_filled + 1, _ring.Length);
        }
    }

    /// <summary>Answers counted between the oldest kept sample and now (up to the last minute).</summary>
    public long Recent
    {
        get
        {
            lock (_ring)
            {
                if (_filled == 0) return Total;
                int oldest = _filled < _ring.Length ? 0 : _next;
                return Total - _ring[oldest];
            }
        }
    }
}
