namespace GslbDns.Configuration;

/// <summary>What kind of file a <see cref="LoadLedger"/> entry is about.</summary>
public enum LoadedKind
{
    Zone,
    Policy,
    GeoIp,
}

/// <summary>
/// When each zone, policy and GeoIP file was last read and accepted, and how often it was rejected:
/// the metrics' answer to "is my last push live, and is anything failing to load". Written by the
/// loaders (off the query path), read by the metrics endpoint.
/// </summary>
public sealed class LoadLedger(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(LoadedKind, string), Entry> _entries = [];

    /// <param name="File">The file as the operator names it (relative to the zones folder, or the database path).</param>
    /// <param name="Name">What the file holds: the zone origin, or the database type; empty when never read.</param>
    public sealed record Entry(LoadedKind Kind, string File, string Name, DateTimeOffset? LastSuccess, long Failures);

    public void Succeeded(LoadedKind kind, string file, string name)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _entries.TryGetValue((kind, file), out var old);
            _entries[(kind, file)] = new Entry(kind, file, name, now, old?.Failures ?? 0);
        }
    }

    public void Failed(LoadedKind kind, string file, string? name = null)
    {
        lock (_gate)
        {
            _entries.TryGetValue((kind, file), out var old);
            _entries[(kind, file)] = new Entry(kind, file, name ?? old?.Name ?? "", old?.LastSuccess, (old?.Failures ?? 0) + 1);
        }
    }

    /// <summary>Forgets files that are gone, so a deleted zone leaves the metrics.</summary>
    public void Retain(LoadedKind kind, IEnumerable<string> files)
    {
        var keep = files.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var key in _entries.Keys.Where(k => k.Item1 == kind && !keep.Contains(k.Item2)).ToArray()) _entries.Remove(key);
        }
    }

    public IReadOnlyList<Entry> Entries()
    {
        lock (_gate) return _entries.Values.OrderBy(e => e.Kind).ThenBy(e => e.File, StringComparer.Ordinal).ToArray();
    }
}
