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
        var firstTtl = new Dictionary<(DnsName, RecordType), uint>();
        var seen = new HashSet<(DnsName, RecordType, string)>();
        var result = new List<ZoneRecord>(records.Count);
        foreach (var record in records)
        {
            if (!seen.Add((record.Owner, record.Type, Convert.ToHexString(record.Data)))) continue;
            if (!firstTtl.TryGetValue((record.Owner, record.Type), out uint ttl))
            {
                ttl = record.Ttl;
                firstTtl.Add((record.Owner, record.Type), ttl);
            }
            result.Add(ttl == record.Ttl ? record : record with { Ttl = ttl });
        }
        return result;
    }
}
