namespace GslbDns.Bench.Failover;

/// <summary>Median, p90 and max of a set of durations in milliseconds.</summary>
public sealed class Timings
{
    private readonly List<double> _values = [];

    public int Count => _values.Count;

    public void Add(TimeSpan value) => _values.Add(value.TotalMilliseconds);

    public double Median => Percentile(0.5);

    public double P90 => Percentile(0.9);

    public double Max => _values.Count == 0 ? double.NaN : _values.Max();

    /// <summary>Linear interpolation between closest ranks (the "R-7" rule used by spreadsheets and numpy).</summary>
    public double Percentile(double p)
    {
        if (_values.Count == 0) return double.NaN;
        var sorted = _values.Order().ToArray();
        double rank = p * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }

    public string All() => string.Join(' ', _values.Select(v => v.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)));
}
