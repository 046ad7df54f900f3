using System.Runtime.InteropServices;
using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// Every node of a compiled zone by name: a dictionary from name to node number and the nodes in one
/// array. The dictionary is the one the reader made while numbering owners (<see cref="OwnerGroups"/>),
/// taken over and extended with the empty non-terminals, so a zone load builds one table of a million
/// names instead of two.
/// </summary>
internal sealed class NodeTable
{
    private readonly Dictionary<DnsName, int> _ids;
    private readonly Dictionary<DnsName, int>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private NodeData[] _nodes;
    private int _count;
    // The RRsets of all nodes; each node's are a slice (set once by the compiler).
    private RRSet[] _sets = [];

    /// <summary>A table holding a node for every owner of <paramref name="owners"/>, numbered as there.</summary>
    public NodeTable(OwnerGroups owners)
    {
        _ids = owners.TakeIds();
        // A no-op when the numbering was sized with CapacityFor, as the normalizer does.
        _ids.EnsureCapacity(CapacityFor(owners.Count));
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<byte>>();
        _nodes = new NodeData[CapacityFor(owners.Count)];
        for (int id = 0; id < owners.Count; id++) _nodes[id] = new NodeData(owners.Owner(id));
        _count = owners.Count;
    }

    public int Count => _count;

    /// <summary>
    /// Room for <paramref name="owners"/> names and the empty non-terminals above them (14 % more
    /// names in the generated zone of bench/scale.sh), so adding those does not grow the table.
    /// </summary>
    public static int CapacityFor(int owners) => owners + owners / 4 + 1;

    public IEnumerable<ZoneNode> Enumerate()
    {
        for (int id = 0; id < _count; id++) yield return new ZoneNode(this, id);
    }

    public IEnumerable<DnsName> Names => _ids.Keys;

    /// <summary>The node numbered <paramref name="id"/> (an owner's number in the grouping it was made from).</summary>
    public ZoneNode this[int id] => new(this, id);

    /// <summary>The label count of node <paramref name="id"/>'s name, read without making a handle.</summary>
    public int LabelCountOf(int id) => _nodes[id].Name.LabelCount;

    internal ref NodeData Data(int id) => ref _nodes[id];

    internal ReadOnlySpan<RRSet> SetsOf(in NodeData node) => new(_sets, node.SetStart, node.SetCount);

    /// <summary>The array the nodes' RRsets are slices of.</summary>
    internal void UseSets(RRSet[] sets) => _sets = sets;

    public ZoneNode? Find(ReadOnlySpan<byte> lowerCaseWireName) =>
        _lookup.TryGetValue(lowerCaseWireName, out int id) ? new ZoneNode(this, id) : null;

    public ZoneNode? Find(DnsName name) => _ids.TryGetValue(name, out int id) ? new ZoneNode(this, id) : null;

    /// <summary>The number of the node of a name, or -1.</summary>
    public int IdOf(ReadOnlySpan<byte> lowerCaseWireName) => _lookup.TryGetValue(lowerCaseWireName, out int id) ? id : -1;

    /// <summary>The number of the node of <paramref name="name"/>, made (as an empty non-terminal) when there is none.</summary>
    public int GetOrAdd(DnsName name)
    {
        ref int slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, name, out bool exists);
        if (exists) return slot;
        slot = _count;
        if (_count == _nodes.Length) Array.Resize(ref _nodes, _nodes.Length * 2);
        _nodes[_count] = new NodeData(name);
        return _count++;
    }
}
