using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// One zone file, read and validated. <see cref="Records"/> are normalised (duplicates dropped, one TTL
/// per RRset); problem locations name files relative to the zones folder.
/// </summary>
public sealed record ZoneFileResult(string Path, DnsName? Origin, IReadOnlyList<ZoneRecord> Records, IReadOnlyList<ZoneProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;

    /// <summary>The records grouped by owner as validation grouped them, for the compiler to reuse.</summary>
    public OwnerGroups? Owners { get; init; }
}
