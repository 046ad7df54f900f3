namespace GslbDns.Metrics;

/// <summary>
/// A Prometheus histogram with fixed upper bounds, kept in <see cref="StripedCells"/> so the query
/// path can observe into it without a lock (the OpenTelemetry SDK's histogram takes a per-point spin
/// lock on every record, which the query path must not). Values are integers in the histogram's own
/// unit (bytes, microseconds); <see cref="Scale"/> turns them into the base unit when written.
/// </summary>
internal sealed class BucketHistogram
{
    private readonly long[] _bounds;
    private readonly StripedCells _cells;
    private readonly int _series;

    /// <param name="bounds">Inclusive upper bounds (le), ascending, in the histogram's unit.</param>
    /// <param name="series">How many label sets (e.g. one per protocol) share the bounds.</param>
    /// <param name="scale">Multiplier from the unit to the base unit (1e-6 for microseconds to seconds).</param>
    public BucketHistogram(long[] bounds, int series = 1, double scale = 1)
    {
        _bounds = bounds;
        _series = series;
        Scale = scale;
        // Per series: one cell per bound, one for +Inf, one for the sum.
        _cells = new StripedCells(series * (bounds.Length + 2));
    }

    public double Scale { get; }

    public IReadOnlyList<long> Bounds => _bounds;

    public void Observe(int series, long value) => Observe(series, value, CounterStripe.Current);

    /// <param name="stripe">The caller's <see cref="CounterStripe.Current"/>.</param>
    public void Observe(int series, long value, int stripe)
    {
        int bucket = _bounds.Length;
        for (int i = 0; i < _bounds.Length; i++)
        {
            if (value <= _bounds[i])
            {
                bucket = i;
                break;
            }
        }
        int first = series * (_bounds.Length + 2);
        _cells.Increment(first + bucket, stripe);
        _cells.Add(first + _bounds.Length + 1, value, stripe);
    }

    /// <summary>Cumulative counts per bound (and +Inf last), the sum in the base unit and the count.</summary>
    public (long[] Cumulative, double Sum, long Count) Read(int series)
    {
        int first = series * (_bounds.Length + 2);
        var cumulative = new long[_bounds.Length + 1];
        long running = 0;
        for (int i = 0; i <= _bounds.Length; i++)
        {
            running += _cells.Read(first + i);
            cumulative[i] = running;
        }
        return (cumulative, _cells.Read(first + _bounds.Length + 1) * Scale, running);
    }

    public int Series => _series;
}
