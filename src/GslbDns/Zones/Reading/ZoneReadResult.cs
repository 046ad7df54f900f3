using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// What a master file holds: the zone origin (the given one, or the $ORIGIN in effect at the first
/// record), the records in file order, and every problem found.
/// </summary>
public sealed record ZoneReadResult(DnsName? Origin, IReadOnlyList<ZoneRecord> Records, IReadOnlyList<ZoneProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}
