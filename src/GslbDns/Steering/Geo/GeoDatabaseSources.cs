namespace GslbDns.Steering.Geo;

/// <summary>
/// Where GeoIP databases come from: each path is an .mmdb file or a folder whose *.mmdb files are all
/// loaded (by file name). Earlier entries take priority when several databases know a field.
/// Relative paths are resolved against the base directory given to <see cref="GeoDatabaseWatcher"/>.
/// </summary>
public sealed record GeoDatabaseSources(IReadOnlyList<string> Paths)
{
    /// <summary>Every *.mmdb in the geoip folder.</summary>
    public static GeoDatabaseSources Default { get; } = new(["geoip"]);

    /// <summary>Quiet time after a file system event before reloading, so a file being written is read once finished.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Copy databases into memory rather than memory-mapping them. Mapping is cheaper, but a mapped file
    /// rewritten in place (truncated, then written) faults the process if the old copy is read during
    /// the rewrite; tools that replace files by rename (geoipupdate, <c>gslbdns geoip build</c>) are safe
    /// with mapping.
    /// </summary>
    public bool InMemory { get; init; }

    /// <summary>How often files are checked even without events (network file systems do not always raise them).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);
}
