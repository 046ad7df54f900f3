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
        // The kept records are the input itself until the first duplicate or TTL change, which a
        // zone as written usually has none of: then no copy of a million records is made (and
        // none for the collector to look through for references when it next runs).
        List<ZoneRecord>? copy = null;
        int kept = 0;
        for (int r = 0; r < records.Count; r++)
        {
            var record = records[r];
            int id = numbering.Number(record.Owner);
            if (id == lastOfOwner.Count) lastOfOwner.Add(-1);
            int firstOfSet = -1;
            bool duplicate = false;
            for (int i = lastOfOwner[id]; i >= 0; i = previousOfOwner[i])
            {
                var earlier = Kept(i);
                if (earlier.Type != record.Type) continue;
                // Walking back, the last one of the type met is the RRset's first.
                firstOfSet = i;
                if (earlier.Data.Span.SequenceEqual(record.Data.Span))
                {
                    duplicate = true;
                    break;
                }
            }
            // RFC 2181 §5.2: one TTL per RRset; the first one read wins.
            uint ttl = duplicate || firstOfSet < 0 ? record.Ttl : Kept(firstOfSet).Ttl;
            if (copy is null && (duplicate || ttl != record.Ttl)) copy = Prefix(records, kept);
            if (duplicate) continue;
            copy?.Add(ttl == record.Ttl ? record : record with { Ttl = ttl });
            previousOfOwner[kept] = lastOfOwner[id];
            lastOfOwner[id] = kept;
            idOf[kept] = id;
            numbering.Counts[id]++;
            kept++;
        }
        IReadOnlyList<ZoneRecord> result = copy ?? records;
        owners = OwnerGroups.FromNumbers(result, numbering.Ids, idOf, numbering.Counts);
        return result;

        ZoneRecord Kept(int i) => copy is null ? records[i] : copy[i];
    }

    private static List<ZoneRecord> Prefix(IReadOnlyList<ZoneRecord> records, int count)
    {
        var copy = new List<ZoneRecord>(records.Count);
        for (int i = 0; i < count; i++) copy.Add(records[i]);
        return copy;
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
