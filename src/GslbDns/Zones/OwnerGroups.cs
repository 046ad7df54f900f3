namespace GslbDns.Zones;

/// <summary>
/// A zone's records grouped by owner name, without a list per owner: record indexes in one array,
/// owner by owner (each owner's records in file order, owners in order of first appearance), and
/// where each owner's run starts. Built by a counting sort over owner numbers.
/// </summary>
public sealed class OwnerGroups
{
    private readonly Dictionary<DnsName, int> _ids;
    private readonly int[] _order;
    private readonly int[] _starts;

    private OwnerGroups(IReadOnlyList<ZoneRecord> records, Dictionary<DnsName, int> ids, int[] order, int[] starts)
    {
        Records = records;
        _ids = ids;
        _order = order;
        _starts = starts;
    }

    public IReadOnlyList<ZoneRecord> Records { get; }

    public int Count => _starts.Length - 1;

    /// <summary>Indexes into <see cref="Records"/> of owner <paramref name="id"/>'s records; the caller may reorder them.</summary>
    public Span<int> this[int id] => _order.AsSpan(_starts[id], _starts[id + 1] - _starts[id]);

    public DnsName Owner(int id) => Records[_order[_starts[id]]].Owner;

    // Numbers at or above Count are names a NodeTable added to the dictionary it took over.
    public bool TryFind(DnsName owner, out int id) => _ids.TryGetValue(owner, out id) && id < Count;

    /// <summary>
    /// The name-to-number dictionary, for a <see cref="NodeTable"/> to take over and extend; a second
    /// caller gets a copy of the owners alone.
    /// </summary>
    internal Dictionary<DnsName, int> TakeIds()
    {
        if (!_idsTaken)
        {
            _idsTaken = true;
            return _ids;
        }
        var copy = new Dictionary<DnsName, int>(Count, WireComparer.Instance);
        foreach (var (name, id) in _ids)
        {
            if (id < Count) copy.Add(name, id);
        }
        return copy;
    }

    private bool _idsTaken;

    /// <summary>Replaces the content of <paramref name="into"/> with owner <paramref name="id"/>'s records.</summary>
    public void CopyTo(int id, List<ZoneRecord> into)
    {
        into.Clear();
        foreach (int i in this[id]) into.Add(Records[i]);
    }

    public static OwnerGroups Of(IReadOnlyList<ZoneRecord> records)
    {
        var numbering = new OwnerNumbering(0);
        var idOf = new int[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            int id = idOf[i] = numbering.Number(records[i].Owner);
            numbering.Counts[id]++;
        }
        return FromNumbers(records, numbering.Ids, idOf, numbering.Counts);
    }

    /// <summary>
    /// The grouping from owner numbers already given out: <paramref name="idOf"/>[i] is record i's
    /// owner number (in order of first appearance, as <paramref name="ids"/> maps them) and
    /// <paramref name="counts"/>[id] the number of records that owner has.
    /// </summary>
    internal static OwnerGroups FromNumbers(IReadOnlyList<ZoneRecord> records, Dictionary<DnsName, int> ids, int[] idOf, List<int> counts)
    {
        var starts = new int[counts.Count + 1];
        for (int id = 0; id < counts.Count; id++) starts[id + 1] = starts[id] + counts[id];
        var next = starts[..^1];
        var order = new int[records.Count];
        for (int i = 0; i < records.Count; i++) order[next[idOf[i]]++] = i;
        return new OwnerGroups(records, ids, order, starts);
    }
}

/// <summary>
/// Gives owner names numbers in order of first appearance, with a count per number for the caller
/// to keep. A name's records usually follow each other and the reader hands out one object for
/// them, so a record with the previous record's owner object costs no look-up.
/// </summary>
internal sealed class OwnerNumbering(int capacity)
{
    private DnsName? _previous;
    private int _previousId = -1;

    public Dictionary<DnsName, int> Ids { get; } = new(capacity, WireComparer.Instance);

    /// <summary>Per number; <see cref="Number"/> adds a 0 for each new one.</summary>
    public List<int> Counts { get; } = [];

    public int Number(DnsName owner)
    {
        // Equality starts with the hash and, for the same bytes, ends without comparing them.
        if (_previous is { } previous && previous.Equals(owner)) return _previousId;
        if (!Ids.TryGetValue(owner, out _previousId))
        {
            _previousId = Counts.Count;
            Ids.Add(owner, _previousId);
            Counts.Add(0);
        }
        _previous = owner;
        return _previousId;
    }
}
