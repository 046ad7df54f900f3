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
        var (ids, idOf, counts) = Number(records);
        return FromNumbers(records, ids, idOf, counts);
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

    private static (Dictionary<DnsName, int> Ids, int[] IdOf, List<int> Counts) Number(IReadOnlyList<ZoneRecord> records)
    {
        var ids = new Dictionary<DnsName, int>(WireComparer.Instance);
        var idOf = new int[records.Count];
        var counts = new List<int>();
        DnsName? previous = null;
        int previousId = -1;
        for (int i = 0; i < records.Count; i++)
        {
            var owner = records[i].Owner;
            // A name's records usually follow each other, and the reader hands out one object for them.
            if (!ReferenceEquals(owner, previous))
            {
                if (!ids.TryGetValue(owner, out previousId))
                {
                    previousId = counts.Count;
                    ids.Add(owner, previousId);
                    counts.Add(0);
                }
                previous = owner;
            }
            idOf[i] = previousId;
            counts[previousId]++;
        }
        return (ids, idOf, counts);
    }
}
