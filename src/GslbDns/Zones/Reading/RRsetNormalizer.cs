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
        // The compiled zone keeps this dictionary (NodeTable): sized for a name per two records, it
        // grows at most once or twice, and not to twice what a zone of one record per name needs.
        var numbering = new OwnerNumbering(records.Count / 2 + 1);
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
}
