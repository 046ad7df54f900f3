using System.Buffers.Binary;
using GslbDns.Writing;
using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// Turns validated zone records into a <see cref="CompiledZone"/>: RRsets grouped and encoded,
/// empty non-terminals created, delegation/wildcard/CNAME links and additional-section data
/// resolved once, so answering a query is look-ups and copies.
/// </summary>
public static class ZoneCompiler
{
    public static CompiledZone Compile(DnsName origin, IReadOnlyList<ZoneRecord> records, string source)
    {
        var nodes = new Dictionary<DnsName, ZoneNode>(WireComparer.Instance);
        var byOwner = new Dictionary<DnsName, List<ZoneRecord>>(WireComparer.Instance);
        foreach (var record in records)
        {
            if (!byOwner.TryGetValue(record.Owner, out var list))
            {
                byOwner[record.Owner] = list = [];
            }
            list.Add(record);
        }

        int recordCount = 0;
        foreach (var (owner, ownerRecords) in byOwner)
        {
            var node = GetOrAddWithAncestors(nodes, owner, origin);
            var sets = new List<RRSet>();
            foreach (var group in ownerRecords.GroupBy(r => r.Type).OrderBy(g => (ushort)g.Key))
            {
                // RFC 2181 §5.2: one TTL per RRset; the first one read wins.
                uint ttl = group.First().Ttl;
                var unique = new List<byte[]>();
                foreach (var r in group)
                {
                    if (!unique.Any(u => u.AsSpan().SequenceEqual(r.Data))) unique.Add(r.Data);
                }
                recordCount += unique.Count;
                sets.Add(new RRSet(group.Key, ttl, [.. unique.Select(d => new Rdata(d, CompressibleNames(group.Key, d)))]));
            }
            node.Sets = [.. sets];
        }
        GetOrAddWithAncestors(nodes, origin, origin);

        LinkNodes(nodes, origin);
        ResolveAdditional(nodes, origin);

        var apex = nodes[origin];
        var soa = apex.Find(RecordType.SOA) ?? throw new InvalidOperationException($"zone {origin} has no SOA");
        return new CompiledZone(origin, nodes, soa, ReadSerial(soa.Records[0].Bytes), recordCount, source);
    }

    private static ZoneNode GetOrAddWithAncestors(Dictionary<DnsName, ZoneNode> nodes, DnsName name, DnsName origin)
    {
        if (nodes.TryGetValue(name, out var existing)) return existing;
        var node = new ZoneNode(name);
        nodes[name] = node;
        if (!name.Equals(origin) && name.LabelCount > origin.LabelCount)
        {
            GetOrAddWithAncestors(nodes, name.Parent(), origin);
        }
        return node;
    }

    private static void LinkNodes(Dictionary<DnsName, ZoneNode> nodes, DnsName origin)
    {
        foreach (var node in nodes.Values.OrderBy(n => n.Name.LabelCount))
        {
            var cname = node.Find(RecordType.CNAME);
            if (cname is not null)
            {
                node.CnameTarget = DnsName.FromWire(cname.Records[0].Bytes);
            }
            if (node.Name.Equals(origin)) continue;
            var parent = nodes[node.Name.Parent()];
            // The topmost cut wins: data below a lower NS is occluded by the higher one.
            node.Delegation = parent.Delegation ?? (node.Find(RecordType.NS) is not null ? node : null);
            if (node.Name.IsWildcard)
            {
                parent.Wildcard = node;
            }
        }
    }

    private static void ResolveAdditional(Dictionary<DnsName, ZoneNode> nodes, DnsName origin)
    {
        foreach (var node in nodes.Values)
        {
            foreach (var set in node.Sets)
            {
                int targetOffset = set.Type switch
                {
                    RecordType.NS => 0,
                    RecordType.MX => 2,
                    RecordType.SRV => 6,
                    _ => -1,
                };
                if (targetOffset < 0) continue;
                bool isReferral = set.Type == RecordType.NS && node.Delegation == node;
                var additional = new List<OwnedRRSet>();
                foreach (var record in set.Records)
                {
                    var target = DnsName.FromWire(record.Bytes.AsSpan(targetOffset));
                    if (target.IsRoot || !target.IsAtOrBelow(origin)) continue;
                    if (!nodes.TryGetValue(target, out var targetNode)) continue;
                    // Below a cut only glue counts, and only for the referral itself (RFC 9471).
                    if (targetNode.Delegation is not null && !isReferral) continue;
                    if (additional.Any(a => a.Owner.Equals(target))) continue;
                    foreach (var type in (ReadOnlySpan<RecordType>)[RecordType.A, RecordType.AAAA])
                    {
                        var addresses = targetNode.Find(type);
                        if (addresses is not null) additional.Add(new OwnedRRSet(target, addresses));
                    }
                }
                set.Additional = [.. additional];
            }
        }
    }

    /// <summary>RFC 3597 §4: only the RFC 1035 types may have their RDATA names compressed.</summary>
    private static RdataNames CompressibleNames(RecordType type, byte[] data) => type switch
    {
        RecordType.NS or RecordType.CNAME or RecordType.PTR => new RdataNames(0),
        RecordType.MX => new RdataNames(2),
        RecordType.SOA => new RdataNames(0, MessageWriter.WireNameLength(data)),
        _ => RdataNames.None,
    };

    private static uint ReadSerial(byte[] soa)
    {
        int mname = MessageWriter.WireNameLength(soa);
        int rname = MessageWriter.WireNameLength(soa.AsSpan(mname));
        return BinaryPrimitives.ReadUInt32BigEndian(soa.AsSpan(mname + rname));
    }
}
