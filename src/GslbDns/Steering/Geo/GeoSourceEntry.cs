using GslbDns.Zones;

namespace GslbDns.Steering.Geo;

/// <summary>One network of a GeoIP source file with the data to store for it.</summary>
public sealed record GeoSourceEntry(IpPrefix Network, MmdbValue Data, SourceLocation Location);

/// <summary>The entries of a source file and every problem found in it.</summary>
public sealed record GeoSource(IReadOnlyList<GeoSourceEntry> Entries, IReadOnlyList<ZoneProblem> Problems);
