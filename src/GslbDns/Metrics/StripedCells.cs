namespace GslbDns.Metrics;

/// <summary>
/// A block of counters the query path adds to without a lock or an allocation: each thread adds to
/// its stripe (<see cref="CounterStripe"/>: its own, written without an interlocked instruction, or
/// the shared one), stripes are padded to whole cache lines so threads on different cores do not
/// share one, and a reader adds the stripes up. Reads are not a snapshot
/// across cells (a scrape may see one counter a query ahead of another); each cell only grows.
/// </summary>
internal sealed class StripedCells
{
    private const int Stripes = CounterStripe.Stripes;
    private const int LineLongs = 8;

    private readonly long[] _cells;
    private readonly int _stride;

    public StripedCells(int count)
    {
        Count = count;
        _stride = (count + LineLongs - 1) / LineLongs * LineLongs;
        // One spare line in front, so stripe 0 does not share a line with the array header.
        _cells = new long[LineLongs + Stripes * _stride];
    }

    public int Count { get; }

    public void Increment(int cell) => Add(cell, 1, CounterStripe.Current);

    public void Add(int cell, long value) => Add(cell, value, CounterStripe.Current);

    /// <summary>As <see cref="Increment(int)"/>, for a caller that read <see cref="CounterStripe.Current"/> once for several cells.</summary>
    public void Increment(int cell, int stripe) => Add(cell, 1, stripe);

    public void Add(int cell, long value, int stripe) =>
        CounterStripe.Add(ref _cells[LineLongs + (stripe & (Stripes - 1)) * _stride + cell], value, stripe);

    /// <summary>The cell summed over every stripe.</summary>
    public long Read(int cell)
    {
        long total = 0;
        for (int s = 0; s < Stripes; s++) total += Volatile.Read(ref _cells[LineLongs + s * _stride + cell]);
        return total;
    }
}
