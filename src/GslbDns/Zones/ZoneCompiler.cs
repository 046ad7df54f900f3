using System.Buffers.Binary;
using System.Runtime.InteropServices;
using GslbDns.Writing;
using GslbDns.Protocol;
using GslbDns.Zones.Reading;

namespace GslbDns.Zones;

/// <summary>
/// Turns validated zone records into a <see cref="CompiledZone"/>: RRsets grouped and encoded,
/// empty non-terminals created, delegation/wildcard/CNAME links and additional-section data
/// resolved once, so answering a query is look-ups and copies.
/// </summary>
public static class ZoneCompiler
{
    public static CompiledZone Compile(DnsName origin, IReadOnlyList<ZoneRecord> records, string source) =>
        Compile(origin, records, source, null);

    /// <summary>Compiles read results, reusing the grouping by owner that validation made.</summary>
    public static CompiledZone Compile(ZoneFileResult result) =>
        Compile(result.Origin ?? throw new ArgumentException("the zone has no origin", nameof(result)), result.Records, result.Path, result.Owners);

    private static CompiledZone Compile(DnsName origin, IReadOnlyList<ZoneRecord> records, string source, OwnerGroups? grouped)
    {
        // Grouping a million owners is a dictionary of a million names: done once per load.
        var owners = grouped is not null && ReferenceEquals(grouped.Records, records) ? grouped : OwnerGroups.Of(records);
        var nodes = new NodeTable(owners);

        // Names, RDATA, RRsets and the nodes' RRset lists all go into a few arrays shared by the
        // whole zone: a million-record zone is then about three objects per name (node, name,
        // RRset), which is what a collection during the next reload has to trace.
        var names = new ByteArena();
        var bytes = new ByteArena();
        // The zone keeps these arrays: the RRset one is sized exactly (a zone of large RRsets has
        // far fewer of them than records), the RDATA one has room only for duplicates left out.
        int setCount = 0;
        for (int o = 0; o < owners.Count; o++) setCount += SortByType(owners[o], records);
        var allRdata = new Rdata[records.Count];
        var allSets = new RRSet[setCount];
        int rdataUsed = 0, setsUsed = 0;
        int recordCount = 0;
        var unique = new List<ReadOnlyMemory<byte>>();
        // Each node's parent by number, found while the empty non-terminals are made: linking
        // then needs no look-up per name.
        var parents = new List<int>(nodes.Count + nodes.Count / 4 + 1);
        for (int o = 0; o < owners.Count; o++) parents.Add(-1);
        for (int o = 0; o < owners.Count; o++)
        {
            var group = owners[o];
            var node = nodes[o];
            AddAncestors(nodes, o, origin, parents);
            int firstSet = setsUsed;
            for (int i = 0; i < group.Length;)
            {
                var type = records[group[i]].Type;
                // RFC 2181 §5.2: one TTL per RRset; the first one read wins.
                uint ttl = records[group[i]].Ttl;
                unique.Clear();
                for (; i < group.Length && records[group[i]].Type == type; i++)
                {
                    var data = records[group[i]].Data;
                    if (!Contains(unique, data)) unique.Add(data);
                }
                recordCount += unique.Count;
                int firstRdata = rdataUsed;
                foreach (var data in unique)
                {
                    // The reader's buffers become the zone's: RDATA is not copied again.
                    var (buffer, offset) = MemoryMarshal.TryGetArray(data, out var segment)
                        ? (segment.Array!, segment.Offset)
                        : bytes.Add(data.Span);
                    allRdata[rdataUsed++] = new Rdata(buffer, offset, data.Length, CompressibleNames(type, data.Span));
                }
                allSets[setsUsed++] = new RRSet(type, ttl, allRdata, firstRdata, unique.Count);
            }
            node.SetSets(firstSet, setsUsed - firstSet);
        }
        nodes.UseSets(allSets);
        int apexId = nodes.GetOrAdd(origin);
        if (apexId == parents.Count) parents.Add(-1);
        var apex = nodes[apexId];

        LinkNodes(nodes, parents, origin, names);
        ResolveAdditional(nodes, allSets, origin);

        var soa = apex.Find(RecordType.SOA) ?? throw new InvalidOperationException($"zone {origin} has no SOA");
        return new CompiledZone(origin, nodes, apex, soa, ReadSerial(soa.Records[0].Bytes), recordCount, source);
    }

    /// <summary>
    /// Stable insertion sort of one owner's records by type (a handful of records each); returns
    /// the number of types, the owner's RRsets.
    /// </summary>
    private static int SortByType(Span<int> group, IReadOnlyList<ZoneRecord> records)
    {
        for (int i = 1; i < group.Length; i++)
        {
            int item = group[i];
            var type = (ushort)records[item].Type;
            int j = i - 1;
            while (j >= 0 && (ushort)records[group[j]].Type > type)
            {
                group[j + 1] = group[j];
                j--;
            }
            group[j + 1] = item;
        }
        int types = group.Length > 0 ? 1 : 0;
        for (int i = 1; i < group.Length; i++)
        {
            if (records[group[i]].Type != records[group[i - 1]].Type) types++;
        }
        return types;
    }

    private static bool Contains(List<ReadOnlyMemory<byte>> unique, ReadOnlyMemory<byte> data)
    {
        foreach (var u in unique)
        {
            if (u.Span.SequenceEqual(data.Span)) return true;
        }
        return false;
    }

    /// <summary>
    /// Makes the empty non-terminals above <paramref name="name"/> up to the first name already
    /// present, over the bytes of this name (RFC 4592 §2.2.2: they exist for the lookup).
    /// </summary>
    private static void AddAncestors(NodeTable nodes, int id, DnsName origin, List<int> parents)
    {
        var name = nodes[id].Name;
        var wire = name.Wire;
        int up = 0;
        int pos = 0;
        int child = id;
        while (name.LabelCount - up > origin.LabelCount)
        {
            pos += wire[pos] + 1;
            up++;
            int parent = nodes.IdOf(wire[pos..]);
            if (parent >= 0)
            {
                parents[child] = parent;
                return;
            }
            parent = nodes.GetOrAdd(name.Ancestor(up));
            parents.Add(-1);
            parents[child] = parent;
            child = parent;
        }
    }

    private static void LinkNodes(NodeTable nodes, List<int> parents, DnsName origin, ByteArena names)
    {
        // Parents before children, so a parent's Delegation is set when its children read it: a
        // counting sort of node numbers by label count (at most 127).
        int count = nodes.Count;
        var perDepth = new int[DnsName.MaxWireLength / 2 + 2];
        for (int id = 0; id < count; id++) perDepth[nodes.LabelCountOf(id) + 1]++;
        for (int d = 1; d < perDepth.Length; d++) perDepth[d] += perDepth[d - 1];
        var ordered = new int[count];
        for (int id = 0; id < count; id++) ordered[perDepth[nodes.LabelCountOf(id)]++] = id;
        foreach (int id in ordered)
        {
            var node = nodes[id];
            if (node.TryFind(RecordType.CNAME, out var cname))
            {
                var target = cname.Records[0].Bytes;
                node.SetCnameTarget(names.AddName(target, DnsName.CountLabels(target)));
            }
            // The apex (and, in records never validated, a name outside the zone) has no parent here.
            if (node.Name.LabelCount <= origin.LabelCount || parents[id] < 0) continue;
            var parent = nodes[parents[id]];
            // The topmost cut wins: data below a lower NS is occluded by the higher one.
            node.SetDelegation(parent.Delegation ?? (node.Find(RecordType.NS) is not null ? node : null));
            if (node.Name.IsWildcard)
            {
                parent.SetWildcard(node);
            }
        }
    }

    private static void ResolveAdditional(NodeTable nodes, RRSet[] allSets, DnsName origin)
    {
        // Every RRset's additional data is a slice of one array, like its records.
        var additional = new List<OwnedRRSet>();
        List<(int Set, int Start, int Count)>? slices = null;
        Span<byte> target = stackalloc byte[DnsName.MaxWireLength];
        for (int id = 0; id < nodes.Count; id++)
        {
            var node = nodes[id];
            var sets = node.Sets;
            for (int s = 0; s < sets.Length; s++)
            {
                var set = sets[s];
                int targetOffset = set.Type switch
                {
                    RecordType.NS => 0,
                    RecordType.MX => 2,
                    RecordType.SRV => 6,
                    _ => -1,
                };
                if (targetOffset < 0) continue;
                bool isReferral = set.Type == RecordType.NS && node.IsCut;
                int first = additional.Count;
                foreach (var record in set.Records)
                {
                    var data = record.Bytes[targetOffset..];
                    int length = MessageWriter.WireNameLength(data);
                    if (length <= 1) continue;
                    var name = target[..length];
                    data[..length].CopyTo(name);
                    DnsName.FoldCase(name);
                    // Out-of-zone targets (half the MX of a typical zone) skip the hash and probe.
                    if (!name.EndsWith(origin.Wire)) continue;
                    if (nodes.Find(name) is not { } targetNode || !targetNode.Name.IsAtOrBelow(origin)) continue;
                    // Below a cut only glue counts, and only for the referral itself (RFC 9471).
                    if (targetNode.Delegation is not null && !isReferral) continue;
                    if (Listed(additional, first, targetNode.Name)) continue;
                    foreach (var type in (ReadOnlySpan<RecordType>)[RecordType.A, RecordType.AAAA])
                    {
                        if (targetNode.TryFind(type, out var addresses)) additional.Add(new OwnedRRSet(targetNode.Name, addresses));
                    }
                }
                if (additional.Count > first) (slices ??= []).Add((node.SetStart + s, first, additional.Count - first));
            }
        }
        if (slices is null) return;
        var shared = additional.ToArray();
        foreach (var (set, start, count) in slices) allSets[set] = allSets[set].WithAdditional(shared, start, count);
    }

    private static bool Listed(List<OwnedRRSet> additional, int first, DnsName owner)
    {
        for (int i = first; i < additional.Count; i++)
        {
            // A node's name is unique in its zone: equal names are the same node.
            if (additional[i].Owner.Equals(owner)) return true;
        }
        return false;
    }

    /// <summary>RFC 3597 §4: only the RFC 1035 types may have their RDATA names compressed.</summary>
    private static RdataNames CompressibleNames(RecordType type, ReadOnlySpan<byte> data) => type switch
    {
        RecordType.NS or RecordType.CNAME or RecordType.PTR => new RdataNames(0),
        RecordType.MX => new RdataNames(2),
        RecordType.SOA => new RdataNames(0, MessageWriter.WireNameLength(data)),
        _ => RdataNames.None,
    };

    private static uint ReadSerial(ReadOnlySpan<byte> soa)
    {
        int mname = MessageWriter.WireNameLength(soa);
        int rname = MessageWriter.WireNameLength(soa[mname..]);
        return BinaryPrimitives.ReadUInt32BigEndian(soa[(mname + rname)..]);
    }
}
