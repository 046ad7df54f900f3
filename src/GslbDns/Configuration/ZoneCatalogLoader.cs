using System.Security.Cryptography;
using GslbDns.Observability;
using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging;

namespace GslbDns.Configuration;

/// <summary>
/// Reads the zones folder into a new <see cref="ZoneSet"/> and publishes it. Every file is parsed and
/// validated off the query path; a file that fails keeps its last good zone serving.
/// </summary>
public sealed class ZoneCatalogLoader
{
    private readonly ZoneStore _store;
    private readonly ILogger<ZoneCatalogLoader> _logger;
    private readonly object _gate = new();
    private Dictionary<string, LoadedZone> _lastGood = new(StringComparer.Ordinal);

    public ZoneCatalogLoader(ZoneStore store, string folder, ILogger<ZoneCatalogLoader> logger)
    {
        _store = store;
        Folder = Path.GetFullPath(folder);
        _logger = logger;
    }

    public string Folder { get; }

    /// <summary>Problems of the last load, for status and tests; empty when every file was good.</summary>
    public IReadOnlyList<ZoneProblem> LastProblems { get; private set; } = [];

    /// <summary>Counts completed loads, so callers can wait for a reload to have happened.</summary>
    public int Generation { get; private set; }

    /// <summary>First load: any problem is fatal, so a server never starts half-configured.</summary>
    public void LoadInitial()
    {
        if (!Directory.Exists(Folder))
        {
            throw new ZoneLoadException($"zones folder '{Folder}' does not exist", []);
        }
        var problems = Load();
        if (problems.Count > 0)
        {
            throw new ZoneLoadException(
                $"{problems.Count} error(s) in zones folder '{Folder}', first: {problems[0]}", problems);
        }
    }

    /// <summary>Re-reads the folder and publishes what is valid; returns the problems found.</summary>
    public IReadOnlyList<ZoneProblem> Load()
    {
        lock (_gate)
        {
            var results = Directory.Exists(Folder) ? ZoneFolderReader.ReadFolder(Folder) : [];
            var next = new Dictionary<string, LoadedZone>(StringComparer.Ordinal);
            var problems = new List<ZoneProblem>();
            foreach (var result in results)
            {
                _lastGood.TryGetValue(result.Path, out var previous);
                if (result.Problems.Count > 0 || result.Origin is null)
                {
                    problems.AddRange(result.Problems);
                    Log.ZoneRejected(_logger, Relative(result.Path), string.Join('\n', result.Problems));
                    if (previous is not null) next[result.Path] = previous;
                    continue;
                }
                var fingerprint = Fingerprint(result.Records);
                if (previous is not null && previous.Fingerprint.AsSpan().SequenceEqual(fingerprint))
                {
                    next[result.Path] = previous;
                    continue;
                }
                var zone = ZoneCompiler.Compile(result.Origin, result.Records, result.Path);
                next[result.Path] = new LoadedZone(zone, fingerprint);
                Log.ZoneLoaded(_logger, zone.Origin.ToString(), zone.Serial, zone.RecordCount, Relative(result.Path));
            }
            foreach (var (path, old) in _lastGood)
            {
                if (!next.ContainsKey(path) && !File.Exists(path))
                {
                    Log.ZoneRemoved(_logger, old.Zone.Origin.ToString(), Relative(path));
                }
                else if (!next.ContainsKey(path))
                {
                    next[path] = old;
                }
            }
            _lastGood = next;
            _store.Publish(new ZoneSet(Deduplicate(next.Values)));
            LastProblems = problems;
            Generation++;
            return problems;
        }
    }

    /// <summary>Two files may claim one origin only transiently (a rename in flight); the first path wins.</summary>
    private static IEnumerable<CompiledZone> Deduplicate(IEnumerable<LoadedZone> zones)
    {
        var seen = new HashSet<DnsName>(WireComparer.Instance);
        foreach (var loaded in zones.OrderBy(z => z.Zone.Source, StringComparer.Ordinal))
        {
            if (seen.Add(loaded.Zone.Origin)) yield return loaded.Zone;
        }
    }

    private string Relative(string path) => Path.GetRelativePath(Folder, path);

    private static byte[] Fingerprint(IReadOnlyList<ZoneRecord> records)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> fixedPart = stackalloc byte[6];
        foreach (var record in records)
        {
            hash.AppendData(record.Owner.Wire);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(fixedPart, (ushort)record.Type);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(fixedPart[2..], record.Ttl);
            hash.AppendData(fixedPart);
            hash.AppendData(record.Data);
        }
        return hash.GetHashAndReset();
    }

    private sealed record LoadedZone(CompiledZone Zone, byte[] Fingerprint);
}
