using GslbDns.Observability;
using Microsoft.Extensions.Logging;

namespace GslbDns.Steering.Geo;

/// <summary>
/// Keeps a <see cref="GeoDatabaseSet"/> current with the files on disk. A file replaced by rename or
/// rewritten in place (see <see cref="GeoDatabaseSources.InMemory"/>) is re-opened (and fully checked); if the new file is unusable the previously
/// loaded copy keeps serving and the problem is logged. After each change <see cref="Changed"/> is
/// raised with the new set; databases no longer used are disposed when the handlers have returned,
/// so a handler should switch everything (e.g. a recompiled <see cref="GeoTree"/>) to the new set.
/// </summary>
public sealed class GeoDatabaseWatcher : IDisposable
{
    private readonly GeoDatabaseSources _sources;
    private readonly string _baseDirectory;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _timer;
    private Dictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _rejected = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedMissing = new(StringComparer.Ordinal);
    private readonly HashSet<(string Folder, string Filter)> _watched = [];
    private bool _started;
    private GeoDatabaseSet _current = GeoDatabaseSet.Empty;
    private bool _disposed;

    private sealed record Loaded(GeoDatabase Database, FileStamp Stamp);

    public GeoDatabaseWatcher(GeoDatabaseSources sources, string baseDirectory, ILogger<GeoDatabaseWatcher> logger)
    {
        _sources = sources;
        _baseDirectory = baseDirectory;
        _logger = logger;
        _timer = new Timer(_ => ReloadFromTimer());
    }

    /// <summary>Where each database's loads and rejections are recorded for the metrics (none when null).</summary>
    public Configuration.LoadLedger? Ledger { get; init; }

    /// <summary>The databases now in use; read once per use, it is replaced as a whole on change.</summary>
    public GeoDatabaseSet Current => Volatile.Read(ref _current);

    /// <summary>Raised on the reloading thread after <see cref="Current"/> has changed.</summary>
    public event Action<GeoDatabaseSet>? Changed;

    /// <summary>Loads the databases and starts watching their files and folders.</summary>
    public void Start()
    {
        lock (_reloadLock)
        {
            _started = true;
        }
        Reload();
        _timer.Change(_sources.PollInterval, _sources.PollInterval);
    }

    /// <summary>
    /// Watches each configured folder for *.mmdb changes and each configured file by name; a folder that
    /// does not exist yet is watched from its parent so its creation triggers a reload.
    /// Paths ending in .mmdb are files, anything else a folder.
    /// </summary>
    private void WatchPaths()
    {
        foreach (var path in _sources.Paths.Select(Resolve))
        {
            var isFile = path.EndsWith(".mmdb", StringComparison.OrdinalIgnoreCase);
            var (folder, filter) = !isFile && Directory.Exists(path) ? (path, "*.mmdb") : (Path.GetDirectoryName(path), Path.GetFileName(path));
            if (folder is null || !Directory.Exists(folder) || !_watched.Add((folder, filter)))
            {
                continue;
            }
            var watcher = new FileSystemWatcher(folder, filter)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += (_, _) => Schedule();
            watcher.Created += (_, _) => Schedule();
            watcher.Deleted += (_, _) => Schedule();
            watcher.Renamed += (_, _) => Schedule();
            watcher.Error += (_, e) =>
            {
                Log.GeoIpWatchFailed(_logger, e.GetException(), folder);
                Schedule();
            };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>
    /// Re-reads the configured paths now and swaps in a new set if any file appeared, disappeared or
    /// changed. Returns true when the set changed.
    /// </summary>
    public bool Reload()
    {
        List<GeoDatabase> retired;
        GeoDatabaseSet next;
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return false;
            }
            if (_started)
            {
                WatchPaths();
            }
            var files = ListFiles();
            var loaded = new Dictionary<string, Loaded>(StringComparer.Ordinal);
            var changed = files.Count != _loaded.Count || files.Any(f => !_loaded.ContainsKey(f));
            foreach (var file in files)
            {
                var stamp = FileStamp.Of(file);
                _loaded.TryGetValue(file, out var previous);
                if (previous is not null && stamp == previous.Stamp)
                {
                    loaded[file] = previous;
                    continue;
                }
                if (previous is null && _rejected.TryGetValue(file, out var rejected) && rejected == stamp)
                {
                    // Already reported; wait for the file to change.
                    continue;
                }
                try
                {
                    var database = GeoDatabase.Open(file, _sources.InMemory);
                    loaded[file] = new Loaded(database, stamp);
                    _rejected.Remove(file);
                    changed = true;
                    Ledger?.Succeeded(Configuration.LoadedKind.GeoIp, file, database.DatabaseType);
                    Log.GeoIpLoaded(_logger, database.ToString(), database.RecordCount);
                }
                catch (GeoDatabaseException e)
                {
                    Ledger?.Failed(Configuration.LoadedKind.GeoIp, file);
                    if (previous is not null)
                    {
                        // Keep serving the copy that worked; remember the bad file's stamp so it is not re-read until it changes again.
                        loaded[file] = previous with { Stamp = stamp };
                        Log.GeoIpRejectedKeepingOld(_logger, e.Message, previous.Database.BuildTime);
                    }
                    else
                    {
                        _rejected[file] = stamp;
                        Log.GeoIpRejected(_logger, e.Message);
                    }
                }
            }
            Ledger?.Retain(Configuration.LoadedKind.GeoIp, files);
            if (!changed)
            {
                _loaded = loaded;
                return false;
            }
            var inUse = loaded.Values.Select(l => l.Database).ToHashSet();
            retired = _loaded.Values.Select(l => l.Database).Where(d => !inUse.Contains(d)).ToList();
            next = new GeoDatabaseSet(files.Where(loaded.ContainsKey).Select(f => loaded[f].Database).ToArray());
            _loaded = loaded;
            Volatile.Write(ref _current, next);
        }
        try
        {
            Changed?.Invoke(next);
        }
        finally
        {
            foreach (var database in retired)
            {
                database.Dispose();
            }
        }
        return true;
    }

    /// <summary>Timer callbacks run on the thread pool, where an escaping exception would end the process.</summary>
    private void ReloadFromTimer()
    {
        try
        {
            Reload();
        }
        catch (Exception e)
        {
            Log.GeoIpReloadFailed(_logger, e, Current.ToString());
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _timer.Dispose();
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }
            foreach (var loaded in _loaded.Values)
            {
                loaded.Database.Dispose();
            }
            _loaded.Clear();
        }
    }

    private void Schedule()
    {
        try
        {
            _timer.Change(_sources.Debounce, _sources.PollInterval);
        }
        catch (ObjectDisposedException)
        {
            // An event raced with Dispose; nothing to reload.
        }
    }

    /// <summary>Configured files in priority order: folders contribute their *.mmdb by ordinal file name.</summary>
    private List<string> ListFiles()
    {
        var files = new List<string>();
        foreach (var path in _sources.Paths.Select(Resolve))
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.mmdb").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path) || _loaded.ContainsKey(path))
            {
                // A configured file that vanished keeps its loaded copy until it comes back.
                files.Add(path);
            }
            else if (_reportedMissing.Add(path))
            {
                Log.GeoIpMissing(_logger, path);
                continue;
            }
            else
            {
                continue;
            }
            _reportedMissing.Remove(path);
        }
        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    private string Resolve(string path) => Path.GetFullPath(Path.Combine(_baseDirectory, path));
}
