using System.IO.Hashing;
using GslbDns.Observability;
using GslbDns.Protocol;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Transfer;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging;

namespace GslbDns.Configuration;

/// <summary>
/// Reads the zones folder (zone files, their steering policies, the admin state) into a new
/// <see cref="ZoneSet"/> and publishes it. Everything is parsed, validated and compiled off the
/// query path; a file that fails keeps its last good version serving.
/// </summary>
public sealed class ZoneCatalogLoader
{
    public const string PolicySuffix = ".gslb.yaml";
    public const string AdminStateFileName = "admin-state.yaml";

    private readonly ZoneStore _store;
    private readonly RegionStateStore _state;
    private readonly Func<GeoDatabaseSet> _geo;
    private readonly ILogger<ZoneCatalogLoader> _logger;
    private readonly object _gate = new();
    private Dictionary<string, LoadedZone> _lastGood = new(StringComparer.Ordinal);
    private (AdminStateFile File, byte[] Fingerprint) _admin = (AdminStateFile.Empty, []);
    private byte[] _reportedAdmin = [];
    private readonly GeoTreeCache _trees = new();
    private byte[] _transferFingerprint = [];

    public ZoneCatalogLoader(ZoneStore store, RegionStateStore state, string folder, Func<GeoDatabaseSet> geo, ILogger<ZoneCatalogLoader> logger)
    {
        _store = store;
        _state = state;
        // Kept as given: file:line messages then read like the operator's own paths (zones/x.zone:7).
        Folder = folder;
        _geo = geo;
        _logger = logger;
    }

    public string Folder { get; }

    /// <summary>Where <c>transfer.yaml</c>'s rules are published, checked against these TSIG keys; null when transfers are off.</summary>
    public TransferConfig? Transfers { get; init; }

    /// <summary>Where each load's outcome per file is recorded for the metrics (none when null).</summary>
    public LoadLedger? Ledger { get; init; }

    /// <summary>
    /// Raised after each load has published its zone set (health checks follow the served
    /// addresses from here). Runs on the loading thread; keep it short.
    /// </summary>
    public event Action<ZoneSet>? Published;

    /// <summary>
    /// Raised after <see cref="RecheckTransferRules"/> published new transfer rules without a zone
    /// load (NOTIFY follows the rules from here). Runs on the reloading thread; keep it short.
    /// </summary>
    public event Action<ZoneSet>? TransferRulesChanged;

    /// <summary>Problems of the last load, for status and tests; empty when every file was good.</summary>
    public IReadOnlyList<ZoneProblem> LastProblems { get; private set; } = [];

    /// <summary>Counts completed loads, so callers can wait for a reload to have happened.</summary>
    public int Generation { get; private set; }

    /// <summary>GeoIP look-up trees compiled since start; services that classify alike share one.</summary>
    public int TreeCompilations => _trees.Compilations;

    /// <summary>First load: any problem is fatal, so a server never starts half-configured.</summary>
    public void LoadInitial()
    {
        if (!Directory.Exists(Folder))
        {
            throw new ZoneLoadException($"zones folder '{Path.GetFullPath(Folder)}' does not exist", []);
        }
        var problems = Load(initial: true);
        if (problems.Count > 0)
        {
            throw new ZoneLoadException(
                $"{problems.Count} error(s) in zones folder '{Folder}', first: {problems[0]}", problems);
        }
    }

    /// <summary>Re-reads the folder and publishes what is valid; returns the problems found.</summary>
    public IReadOnlyList<ZoneProblem> Load() => Load(initial: false);

    /// <param name="initial">True at start, when any problem stops the server (the log says so).</param>
    private IReadOnlyList<ZoneProblem> Load(bool initial)
    {
        lock (_gate)
        {
            var problems = new List<ZoneProblem>();
            var results = Directory.Exists(Folder) ? ZoneFolderReader.ReadFolder(Folder) : [];
            var admin = LoadAdminState(problems, initial);
            var geo = _geo();
            var next = new Dictionary<string, LoadedZone>(StringComparer.Ordinal);
            foreach (var result in results)
            {
                _lastGood.TryGetValue(result.Path, out var previous);
                try
                {
                    var loaded = LoadZone(result, previous, initial, problems);
                    if (loaded is not null) next[result.Path] = WithSteering(loaded, result.Path, geo, initial, problems);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A fault in one file's compile or steering must not cost the other files their reload.
                    var unexpected = Unexpected(Relative(result.Path), e);
                    Ledger?.Failed(LoadedKind.Zone, Relative(result.Path), previous?.Zone.Origin.ToString());
                    problems.Add(unexpected);
                    ZoneRejected(result.Path, [unexpected], initial, previous is not null);
                    if (previous is not null) next[result.Path] = previous;
                }
            }
            foreach (var (path, old) in _lastGood)
            {
                if (next.ContainsKey(path)) continue;
                if (!File.Exists(path)) Log.ZoneRemoved(_logger, old.Zone.Origin.ToString(), Relative(path));
                else next[path] = old;
            }
            var documents = next.Values.Select(z => z.Policy?.Document).OfType<PolicyDocument>().ToArray();
            var adminProblems = admin.File.FindUnmatched(documents);
            if (adminProblems.Count > 0 && !admin.Fingerprint.AsSpan().SequenceEqual(_reportedAdmin))
            {
                Log.AdminStateProblems(_logger, AdminStateFileName, string.Join('\n', adminProblems));
            }
            _reportedAdmin = admin.Fingerprint;
            _state.SetAdmin(admin.File.ByRegion());

            _lastGood = next;
            Ledger?.Retain(LoadedKind.Zone, results.Select(r => Relative(r.Path)));
            Ledger?.Retain(LoadedKind.Policy, results.Select(r => PolicyPathFor(r.Path)).Where(File.Exists).Select(Relative));
            var set = new ZoneSet(Deduplicate(next.Values));
            LoadTransferRules(set, problems, initial);
            _store.Publish(set);
            _state.Retain(set.Zones.Select(z => z.Steering?.State).OfType<IRegionStateSource>());
            _trees.Trim(next.Values.SelectMany(z => z.Policy?.Steering?.Services ?? []).Select(s => s.Tree));
            LastProblems = problems;
            Generation++;
            Published?.Invoke(set);
            return problems;
        }
    }

    /// <summary>The zone to serve for one read result: the new one, the unchanged last good one, or none.</summary>
    private LoadedZone? LoadZone(ZoneFileResult result, LoadedZone? previous, bool initial, List<ZoneProblem> problems)
    {
        if (result.Problems.Count > 0 || result.Origin is not { } origin)
        {
            Ledger?.Failed(LoadedKind.Zone, Relative(result.Path), result.Origin?.ToString() ?? previous?.Zone.Origin.ToString());
            problems.AddRange(result.Problems);
            ZoneRejected(result.Path, result.Problems, initial, previous is not null);
            return previous;
        }
        Ledger?.Succeeded(LoadedKind.Zone, Relative(result.Path), origin.ToString());
        var fingerprint = Fingerprint(result.Records);
        if (previous is not null && previous.Fingerprint.AsSpan().SequenceEqual(fingerprint)) return previous;
        var zone = ZoneCompiler.Compile(result);
        Log.ZoneLoaded(_logger, zone.Origin.ToString(), zone.Serial, zone.RecordCount, Relative(result.Path));
        return new LoadedZone(zone, fingerprint, previous?.Policy);
    }

    /// <summary>Logs a rejected zone file with what really follows: no start, the last good version, or no zone.</summary>
    private void ZoneRejected(string path, IReadOnlyList<ZoneProblem> fileProblems, bool initial, bool hasLastGood)
    {
        string file = Relative(path), text = string.Join('\n', fileProblems);
        if (initial) Log.ZoneRejectedAtStart(_logger, file, text);
        else if (hasLastGood) Log.ZoneRejected(_logger, file, text);
        else Log.ZoneRejectedNotServed(_logger, file, text);
    }

    /// <summary>
    /// Reads the zone's policy file (if any) and compiles its steering, reusing the compiled form when
    /// nothing it depends on changed: the zone, the policy text, the GeoIP databases. Run-time state
    /// (health, admin overrides) is not compiled in: the state store maps it in by name.
    /// </summary>
    private LoadedZone WithSteering(LoadedZone loaded, string zonePath, GeoDatabaseSet geo, bool initial, List<ZoneProblem> problems)
    {
        var policyPath = PolicyPathFor(zonePath);
        if (!File.Exists(policyPath))
        {
            return loaded with { Policy = null };
        }
        var policy = loaded.Policy;
        byte[] text = ReadBytes(policyPath);
        byte[] policyFingerprint = XxHash128.Hash(text);
        bool zoneChanged = policy is null || !ReferenceEquals(policy.Zone, loaded.Zone);
        if (policy is null || zoneChanged || !policy.Fingerprint.AsSpan().SequenceEqual(policyFingerprint))
        {
            var (document, policyProblems) = ReadPolicy(text, policyPath, loaded.Zone);
            if (document is null || policyProblems.Count > 0)
            {
                Ledger?.Failed(LoadedKind.Policy, Relative(policyPath), loaded.Zone.Origin.ToString());
                problems.AddRange(policyProblems);
                string file = Relative(policyPath), listed = string.Join('\n', policyProblems);
                if (initial) Log.PolicyRejectedAtStart(_logger, file, listed);
                else if (policy is null) Log.PolicyRejectedUnsteered(_logger, file, loaded.Zone.Origin.ToString(), listed);
                else Log.PolicyRejected(_logger, file, listed);
                if (policy is null) return loaded;
                // Keep the last good policy, recompiled against the zone now served.
                document = policy.Document;
                policyFingerprint = policy.Fingerprint;
            }
            else
            {
                Ledger?.Succeeded(LoadedKind.Policy, Relative(policyPath), loaded.Zone.Origin.ToString());
            }
            policy = new LoadedPolicy(document, policyFingerprint, loaded.Zone, null, null);
        }
        else
        {
            Ledger?.Succeeded(LoadedKind.Policy, Relative(policyPath), loaded.Zone.Origin.ToString());
        }
        if (policy.Steering is null || !ReferenceEquals(policy.Geo, geo))
        {
            var steering = SteeringCompiler.Compile(policy.Document, loaded.Zone, geo, _state, _trees);
            Log.SteeringLoaded(_logger, loaded.Zone.Origin.ToString(), steering.Services.Length, Relative(policyPath), geo.ToString());
            policy = policy with { Steering = steering, Geo = geo };
        }
        return loaded with { Policy = policy };
    }

    /// <summary>The policy read against <paramref name="zone"/>; an unexpected fault becomes a problem of this file alone.</summary>
    private (PolicyDocument? Document, IReadOnlyList<ZoneProblem> Problems) ReadPolicy(byte[] text, string policyPath, CompiledZone zone)
    {
        try
        {
            return PolicyReader.ReadText(System.Text.Encoding.UTF8.GetString(text), Relative(policyPath), zone.Origin, new CompiledZoneView(zone));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, [Unexpected(Relative(policyPath), e)]);
        }
    }

    private static ZoneProblem Unexpected(string file, Exception e) =>
        new(new SourceLocation(file, 0), $"cannot be loaded: unexpected {e.GetType().Name}: {e.Message}");

    private (AdminStateFile File, byte[] Fingerprint) LoadAdminState(List<ZoneProblem> problems, bool initial)
    {
        var path = Path.Combine(Folder, AdminStateFileName);
        if (!File.Exists(path))
        {
            return _admin = (AdminStateFile.Empty, []);
        }
        var bytes = ReadBytes(path);
        var fingerprint = XxHash128.Hash(bytes);
        if (_admin.Fingerprint.AsSpan().SequenceEqual(fingerprint)) return _admin;
        AdminStateFile? file;
        IReadOnlyList<ZoneProblem> fileProblems;
        try
        {
            (file, fileProblems) = AdminStateReader.ReadText(System.Text.Encoding.UTF8.GetString(bytes), AdminStateFileName);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (file, fileProblems) = (null, [Unexpected(AdminStateFileName, e)]);
        }
        if (file is null || fileProblems.Count > 0)
        {
            // A broken admin file keeps the last good overrides: draining must not silently undo itself.
            problems.AddRange(fileProblems);
            string text = string.Join('\n', fileProblems);
            if (initial) Log.AdminStateRejectedAtStart(_logger, AdminStateFileName, text);
            else Log.AdminStateRejected(_logger, AdminStateFileName, text);
            return _admin;
        }
        return _admin = (file, fingerprint);
    }

    /// <summary>
    /// The TSIG keys changed: <c>transfer.yaml</c> is read again against the zones served and the new
    /// key names. Rules naming a key that is gone are rejected like any broken file, so the last good
    /// rules stay in force: nothing opens (a rule still demands its listed keys, and a request
    /// signed with a removed key gets BADKEY) and nothing else closes; the log names the file:line
    /// and the missing keys. Rules that had been rejected for naming a key not yet added are
    /// accepted now, so a key and its rule can be added in either order.
    /// </summary>
    public void RecheckTransferRules()
    {
        lock (_gate)
        {
            var set = _store.Current;
            var before = Transfers?.Rules;
            LoadTransferRules(set, [], initial: false);
            if (Transfers is not null && !ReferenceEquals(before, Transfers.Rules)) TransferRulesChanged?.Invoke(set);
        }
    }

    /// <summary>
    /// Reads <c>transfer.yaml</c> against the zones about to be served and the TSIG keys; a broken
    /// file keeps the last good rules (a typo must not open or close transfers by itself).
    /// </summary>
    private void LoadTransferRules(ZoneSet set, List<ZoneProblem> problems, bool initial)
    {
        if (Transfers is null) return;
        // One read of the keys: the rules are checked against one version of them.
        var keys = Transfers.Keys;
        var path = Path.Combine(Folder, TransferRulesReader.FileName);
        if (!File.Exists(path))
        {
            if (_transferFingerprint.Length > 0) Log.TransferRulesLoaded(_logger, TransferRulesReader.FileName, "none (file removed)");
            _transferFingerprint = [];
            Transfers.Publish(TransferRules.None);
            return;
        }
        var bytes = ReadBytes(path);
        var origins = set.Zones.Select(z => z.Zone.Origin).ToHashSet(WireComparer.Instance);
        // The key names are part of what the rules were checked against: new names, a new check.
        var fingerprint = XxHash128.Hash([.. bytes, .. origins.OrderBy(o => o.ToString(), StringComparer.Ordinal).SelectMany(o => o.Wire.ToArray()),
            0xff, .. keys.Keys.Select(k => k.Name.ToString()).Order(StringComparer.Ordinal).SelectMany(n => n.Select(c => (byte)c).Append((byte)0))]);
        if (fingerprint.AsSpan().SequenceEqual(_transferFingerprint)) return;
        TransferRules? rules;
        IReadOnlyList<ZoneProblem> fileProblems;
        try
        {
            (rules, fileProblems) = TransferRulesReader.ReadText(System.Text.Encoding.UTF8.GetString(bytes), TransferRulesReader.FileName, keys, origins);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (rules, fileProblems) = (null, [Unexpected(TransferRulesReader.FileName, e)]);
        }
        if (rules is null || fileProblems.Count > 0)
        {
            problems.AddRange(fileProblems);
            string text = string.Join('\n', fileProblems);
            if (initial) Log.TransferRulesRejectedAtStart(_logger, TransferRulesReader.FileName, text);
            else Log.TransferRulesRejected(_logger, TransferRulesReader.FileName, text);
            var missing = Transfers.Rules.Rules.SelectMany(r => r.Tsig ?? []).Where(k => keys.Find(k) is null).Distinct().Select(k => k.ToString()).ToArray();
            if (missing.Length > 0) Log.TransferRulesNameMissingKeys(_logger, string.Join(", ", missing));
            return;
        }
        _transferFingerprint = fingerprint;
        Transfers.Publish(rules);
        Log.TransferRulesLoaded(_logger, TransferRulesReader.FileName,
            string.Join(", ", rules.Rules.Select(r => $"{r.Zone} (allow {(r.Allow is { } a ? string.Join(' ', a) : "any")}, tsig {(r.Tsig is { } t ? string.Join(' ', t) : "none")}, notify {r.Notify.Length})")));
    }

    public static string PolicyPathFor(string zonePath) =>
        Path.Combine(Path.GetDirectoryName(zonePath)!, Path.GetFileNameWithoutExtension(zonePath) + PolicySuffix);

    private static byte[] ReadBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>Two files may claim one origin only transiently (a rename in flight); the first path wins.</summary>
    private static IEnumerable<ServedZone> Deduplicate(IEnumerable<LoadedZone> zones)
    {
        var seen = new HashSet<DnsName>(WireComparer.Instance);
        foreach (var loaded in zones.OrderBy(z => z.Zone.Source, StringComparer.Ordinal))
        {
            if (seen.Add(loaded.Zone.Origin)) yield return new ServedZone(loaded.Zone, loaded.Policy?.Steering);
        }
    }

    private string Relative(string path) => Path.GetRelativePath(Folder, path);

    /// <summary>
    /// What tells a changed zone from an unchanged one; the policy, admin-state and transfer files
    /// are told apart the same way. A 128-bit non-cryptographic hash is enough: the files are the
    /// operator's own, a fingerprint is never shown and never leaves the process, and SHA-256 would
    /// load OpenSSL at start for nothing else (3 MB resident).
    /// </summary>
    private static byte[] Fingerprint(IReadOnlyList<ZoneRecord> records)
    {
        var hash = new XxHash128();
        // Records go through a buffer: a million records are then a few hundred hash calls, not
        // three million.
        var buffer = new byte[64 * 1024];
        int used = 0;
        foreach (var record in records)
        {
            var owner = record.Owner.Wire;
            int size = owner.Length + 6 + record.Data.Length;
            if (used + size > buffer.Length)
            {
                hash.Append(buffer.AsSpan(0, used));
                used = 0;
                if (size > buffer.Length) buffer = new byte[size];
            }
            var into = buffer.AsSpan(used);
            owner.CopyTo(into);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(into[owner.Length..], (ushort)record.Type);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(into[(owner.Length + 2)..], record.Ttl);
            record.Data.Span.CopyTo(into[(owner.Length + 6)..]);
            used += size;
        }
        hash.Append(buffer.AsSpan(0, used));
        return hash.GetHashAndReset();
    }

    private sealed record LoadedZone(CompiledZone Zone, byte[] Fingerprint, LoadedPolicy? Policy);

    private sealed record LoadedPolicy(PolicyDocument Document, byte[] Fingerprint, CompiledZone Zone,
        ZoneSteering? Steering, GeoDatabaseSet? Geo);
}
