using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// One owner name of a compiled zone, including empty non-terminals (nodes with no RRsets), so that
/// "does this name exist" is one dictionary probe (RFC 4592 §2.2.2).
/// </summary>
public sealed class ZoneNode
{
    public ZoneNode(DnsName name)
    {
        Name = name;
    }

    public DnsName Name { get; }

    // A slice of the array the compiled zone shares among its nodes.
    private RRSet[] _sets = [];
    private int _setStart;
    private int _setCount;

    /// <summary>RRsets sorted by type.</summary>
    public ReadOnlySpan<RRSet> Sets => new(_sets, _setStart, _setCount);

    /// <summary>Where this node's RRsets start in the array the zone shares.</summary>
    internal int SetStart => _setStart;

    internal void SetSets(RRSet[] sets, int start, int count)
    {
        _sets = sets;
        _setStart = start;
        _setCount = count;
    }

    /// <summary>The topmost delegation point at or above this node (never the apex), or null where the zone is authoritative.</summary>
    public ZoneNode? Delegation { get; internal set; }

    /// <summary>The "*" child of this node, the source of synthesis for names that do not exist below it.</summary>
    public ZoneNode? Wildcard { get; internal set; }

    /// <summary>For a CNAME node, its target, parsed once.</summary>
    public DnsName? CnameTarget { get; internal set; }

    public bool IsEmptyNonTerminal => _setCount == 0;

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
        if (CnameTarget is not null) return TryFind(RecordType.CNAME, out set);
        set = default;
        return false;
    }
}
