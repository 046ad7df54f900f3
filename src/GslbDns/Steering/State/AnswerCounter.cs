using GslbDns.Metrics;

namespace GslbDns.Steering.State;

/// <summary>
/// Counts the answers steered to one region, by the reason of each decision. The query path only
/// increments one cell of a few padded lines picked by thread (<see cref="CounterStripe"/>: a stripe
/// of its own without an interlocked add, or the shared one with it): no lock, no allocation, and threads on different cores do not fight over one cache line (a line holds the
/// seven reasons of one stripe). Readers add the cells up; a sampler keeps a ring of totals so the
/// share of answers over the last minute can be given, and the answers of each sampling interval over
/// the last five minutes (<see cref="Series"/>, the status page's chart).
/// </summary>
public sealed class AnswerCounter
{
    private const int Stripes = CounterStripe.Stripes;

    /// <summary>One stripe per 64-byte line: a cell per reason (<see cref="SteeringReason"/> 1..7).</summary>
    private const int Stride = 8;

    /// <summary>Samples in the window of <see cref="Recent"/>: 12 × 5 s = the last minute.</summary>
    public const int Samples = 12;

    /// <summary>Intervals in <see cref="Series"/>: 60 × 5 s = the last five minutes.</summary>
    public const int SeriesLength = 60;

    private readonly long[] _cells = new long[Stripes * Stride];
    private readonly long[] _ring = new long[Math.Max(Samples, SeriesLength) + 1];
    private int _next;
    private int _filled;

    public void Increment(SteeringReason reason)
    {
        int stripe = CounterStripe.Current;
        CounterStripe.Add(ref _cells[stripe * Stride + ((int)reason & (Stride - 1))], 1, stripe);
    }

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
                // Younger than the window: everything counted since the counter began.
                if (_filled < Samples + 1) return Total;
                int oldest = (_next - (Samples + 1) + _ring.Length) % _ring.Length;
                return Total - _ring[oldest];
            }
        }
    }

    /// <summary>
    /// Answers counted in each of the last <see cref="SeriesLength"/> sampling intervals, oldest first;
    /// the last is the interval running now (since the latest sample). Intervals before the counter
    /// existed count 0.
    /// </summary>
    public long[] Series()
    {
        var series = new long[SeriesLength];
        long total = Total;
        lock (_ring)
        {
            // Totals at the kept samples, oldest first; before the first sample ever the total was 0.
            int kept = _filled;
            var totals = new long[kept + 1];
            int first = _filled < _ring.Length ? 0 : _next;
            for (int i = 0; i < kept; i++) totals[i + 1] = _ring[(first + i) % _ring.Length];
            int from = _filled < _ring.Length ? 0 : 1;
            // totals[from..] are known; each step between two is one interval.
            int slot = SeriesLength - 1;
            series[slot--] = total - totals[kept];
            for (int i = kept; i > from && slot >= 0; i--) series[slot--] = totals[i] - totals[i - 1];
        }
        return series;
    }
}
