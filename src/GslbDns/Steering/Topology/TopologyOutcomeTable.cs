namespace GslbDns.Steering.Topology;

/// <summary>
/// Interns outcomes to dense integers: equal outcomes get the same number, so a compiled tree stores
/// an int per range and the query path indexes <see cref="ToArray"/> with it. Safe for concurrent use.
/// </summary>
public sealed class TopologyOutcomeTable
{
    private readonly Dictionary<TopologyOutcome, int> _indexes = [];
    private readonly List<TopologyOutcome> _outcomes = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock) return _outcomes.Count;
        }
    }

    public TopologyOutcome this[int index]
    {
        get
        {
            lock (_lock) return _outcomes[index];
        }
    }

    /// <summary>The number of <paramref name="outcome"/>, adding it if it is new.</summary>
    public int Intern(TopologyOutcome outcome)
    {
        lock (_lock)
        {
            if (_indexes.TryGetValue(outcome, out int index)) return index;
            index = _outcomes.Count;
            _outcomes.Add(outcome);
            _indexes.Add(outcome, index);
            return index;
        }
    }

    /// <summary>Every distinct outcome so far, indexed by its number.</summary>
    public TopologyOutcome[] ToArray()
    {
        lock (_lock) return [.. _outcomes];
    }
}
