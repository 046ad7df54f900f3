using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Brings records into the shape a server answers from. Exact duplicates (same owner, type and RDATA
/// octets) are dropped silently, as BIND and knot do. RFC 2181 §5.2 requires one TTL per RRset; like
/// BIND, every record of an RRset takes the TTL of the first one in file order, without an error.
/// </summary>
public static class RRsetNormalizer
{
    public static IReadOnlyList<ZoneRecord> Normalize(IReadOnlyList<ZoneRecord> records) => Normalize(records, out _);

    /// <summary>
    /// Drops duplicate records and gives every RRset its first TTL; <paramref name="owners"/> is the
    /// result grouped by owner, made on the way (validation and the compiler reuse it).
    /// </summary>
    public static IReadOnlyList<ZoneRecord> Normalize(IReadOnlyList<ZoneRecord> records, out OwnerGroups owners)
    {
        // Each owner's kept records form a chain, newest first (lastOfOwner[id] -> previousOfOwner
        // -> ...), so a duplicate is found by comparing octets along its own owner only: one
        // dictionary entry per name, which is also the owner numbering the grouping needs.
        // The compiled zone keeps this dictionary (NodeTable), with the empty non-terminals added.
        // Sized from the owner changes in file order (an upper bound on the names, and close to it
        // for a zone written owner by owner) and room for those, so it never grows: a dictionary
        // that grows copies its entries, and the collector must then look through all of the
        // copy for references to young objects at its next collection, a pause of tens of
        // milliseconds for a million names.
        var numbering = new OwnerNumbering(NodeTable.CapacityFor(OwnerChanges(records)));
        var lastOfOwner = new List<int>();
        var previousOfOwner = new int[records.Count];
        var idOf = new int[records.Count];
        var result = new List<ZoneRecord>(records.Count);
        foreach (var record in records)
        {
            int id = numbering.Number(record.Owner);
            if (id == lastOfOwner.Count) lastOfOwner.Add(-1);
            int firstOfSet = -1;
            bool duplicate = false;
            for (int i = lastOfOwner[id]; i >= 0; i = previousOfOwner[i])
            {
                if (result[i].Type != record.Type) continue;
                // Walking back, the last one of the type met is the RRset's first.
                firstOfSet = i;
                if (result[i].Data.Span.SequenceEqual(record.Data.Span))
                {
                    duplicate = true;
                    break;
                }
            }
            if (duplicate) continue;
            int kept = result.Count;
            // RFC 2181 §5.2: one TTL per RRset; the first one read wins.
            uint ttl = firstOfSet < 0 ? record.Ttl : result[firstOfSet].Ttl;
            result.Add(ttl == record.Ttl ? record : record with { Ttl = ttl });
            previousOfOwner[kept] = lastOfOwner[id];
            lastOfOwner[id] = kept;
            idOf[kept] = id;
            numbering.Counts[id]++;
        }
        owners = OwnerGroups.FromNumbers(result, numbering.Ids, idOf, numbering.Counts);
        return result;
    }

    /// <summary>How often the owner differs from the record before: at least the number of names.</summary>
    private static int OwnerChanges(IReadOnlyList<ZoneRecord> records)
    {
        int changes = 0;
        DnsName previous = default;
        for (int i = 0; i < records.Count; i++)
        {
            var owner = records[i].Owner;
            if (i == 0 || !owner.Equals(previous)) changes++;
            previous = owner;
        }
        return changes;
    }
}
