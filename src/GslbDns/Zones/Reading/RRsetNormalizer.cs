using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Brings records into the shape a server answers from. Exact duplicates (same owner, type and RDATA
/// octets) are dropped silently, as BIND and knot do. RFC 2181 §5.2 requires one TTL per RRset; like
/// BIND, every record of an RRset takes the TTL of the first one in file order, without an error.
/// </summary>
public static class RRsetNormalizer
{
    public static IReadOnlyList<ZoneRecord> Normalize(IReadOnlyList<ZoneRecord> records)
    {
        // Each RRset is a chain through the kept records (first kept index -> next -> ...), so a
        // duplicate is found by comparing octets along its own set only: no key per record.
        var firstOfSet = new Dictionary<(DnsName, RecordType), int>(records.Count);
        var nextInSet = new int[records.Count];
        var result = new List<ZoneRecord>(records.Count);
        foreach (var record in records)
        {
            int kept = result.Count;
            if (firstOfSet.TryGetValue((record.Owner, record.Type), out int first))
            {
                int last = first;
                bool duplicate = false;
                for (int i = first; i >= 0; i = nextInSet[i])
                {
                    last = i;
                    if (result[i].Data.Span.SequenceEqual(record.Data.Span))
                    {
                        duplicate = true;
                        break;
                    }
                }
                if (duplicate) continue;
                nextInSet[last] = kept;
                uint ttl = result[first].Ttl;
                result.Add(ttl == record.Ttl ? record : record with { Ttl = ttl });
            }
            else
            {
                firstOfSet.Add((record.Owner, record.Type), kept);
                result.Add(record);
            }
            nextInSet[kept] = -1;
        }
        return result;
    }
}
