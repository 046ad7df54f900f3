using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// One owner name of a compiled zone, including empty non-terminals (nodes with no RRsets), so that
/// "does this name exist" is one dictionary probe (RFC 4592 §2.2.2).
/// </summary>
/// <remarks>
/// A handle: the zone's table and a node number. What a node holds is one element of an array the
/// table keeps for all of them (<see cref="NodeTable"/>), so a zone of a million names is a few
/// large arrays for the collector, not a million objects to copy during the next reload.
/// </remarks>
public readonly struct ZoneNode : IEquatable<ZoneNode>
{
    private readonly NodeTable _table;
    private readonly int _id;

    internal ZoneNode(NodeTable table, int id)
    {
        _table = table;
        _id = id;
    }

    internal int Id => _id;

    private ref NodeData Data => ref _table.Data(_id);

    public DnsName Name => Data.Name;

    /// <summary>RRsets sorted by type.</summary>
    public ReadOnlySpan<RRSet> Sets => _table.SetsOf(in Data);

    /// <summary>Where this node's RRsets start in the array the zone shares.</summary>
    internal int SetStart => Data.SetStart;

    /// <summary>The topmost delegation point at or above this node (never the apex), or null where the zone is authoritative.</summary>
    public ZoneNode? Delegation => Data.Delegation < 0 ? null : new ZoneNode(_table, Data.Delegation);

    /// <summary>The "*" child of this node, the source of synthesis for names that do not exist below it.</summary>
    public ZoneNode? Wildcard => Data.Wildcard < 0 ? null : new ZoneNode(_table, Data.Wildcard);

    /// <summary>True at a delegation point: the node is its own <see cref="Delegation"/>.</summary>
    public bool IsCut => Data.Delegation == _id;

    /// <summary>For a CNAME node, its target, parsed once.</summary>
    public DnsName? CnameTarget => Data.CnameTarget.Wire.IsEmpty ? null : Data.CnameTarget;

    public bool IsEmptyNonTerminal => Data.SetCount == 0;

    public RRSet? Find(RecordType type) => TryFind(type, out var set) ? set : null;

    /// <summary>As <see cref="Find"/>, without the copy into a nullable: the query path's form.</summary>
    public bool TryFind(RecordType type, out RRSet set)
    {
        var sets = Sets;
        for (int i = 0; i < sets.Length; i++)
        {
            if (sets[i].Type == type)
            {
                set = sets[i];
                return true;
            }
        }
        set = default;
        return false;
    }

    public bool TryGetCname(out RRSet set)
    {
        if (!Data.CnameTarget.Wire.IsEmpty) return TryFind(RecordType.CNAME, out set);
        set = default;
        return false;
    }

    internal void SetSets(int start, int count)
    {
        ref var data = ref Data;
        data.SetStart = start;
        data.SetCount = count;
    }

    internal void SetDelegation(ZoneNode? cut) => Data.Delegation = cut is { } c ? c._id : -1;

    internal void SetWildcard(ZoneNode wildcard) => Data.Wildcard = wildcard._id;

    internal void SetCnameTarget(DnsName target) => Data.CnameTarget = target;

    public bool Equals(ZoneNode other) => ReferenceEquals(_table, other._table) && _id == other._id;

    public override bool Equals(object? obj) => obj is ZoneNode other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_table, _id);

    public static bool operator ==(ZoneNode a, ZoneNode b) => a.Equals(b);

    public static bool operator !=(ZoneNode a, ZoneNode b) => !a.Equals(b);

    public override string ToString() => Name.ToString();
}

/// <summary>What one node holds, in the table's array of them; other nodes by number, -1 for none.</summary>
internal struct NodeData
{
    public DnsName Name;
    // default (an empty wire form) when the node has no CNAME: a nullable would be 8 bytes more a node.
    public DnsName CnameTarget;
    public int SetStart;
    public int SetCount;
    public int Delegation;
    public int Wildcard;

    public NodeData(DnsName name)
    {
        Name = name;
        Delegation = -1;
        Wildcard = -1;
    }
}
