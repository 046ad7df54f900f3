using System.Runtime.InteropServices;
using GslbDns.Hosting;
using GslbDns.Observability;
using GslbDns.Steering.Geo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Configuration;

/// <summary>
/// Loads the zones before the listeners start, then reloads on SIGHUP and on changes in the zones
/// folder. Bursts of file events (an editor's save, a git checkout) are folded into one reload.
/// A stat-only poll stands behind the watcher: network file systems miss events, and on Linux the
/// runtime's shared inotify reader can stop delivering them without raising Error (dotnet/runtime#133420).
/// </summary>
public sealed class ZoneReloadService : IHostedService, IDisposable
{
    private readonly ZoneCatalogLoader _loader;
    private readonly GeoDatabaseWatcher _geo;
    private readonly ServerOptions _options;
    private readonly ILogger<ZoneReloadService> _logger;
    internal static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    private FileSystemWatcher? _watcher;
    private Timer? _poll;
    private long _stamp;
    private bool _loaded;
    private PosixSignalRegistration? _sighup;
    private readonly DebouncedReload _reloads;

    public ZoneReloadService(ZoneCatalogLoader loader, GeoDatabaseWatcher geo, ServerOptions options, ILogger<ZoneReloadService> logger)
    {
        _loader = loader;
        // A reload must never take the server down; the old zones keep serving.
        _reloads = new DebouncedReload(() =>
        {
            using (GcLatencyScope.SustainedLowLatency())
            {
                loader.Load();
            }
            HeapAfterLoad.CollectReplacedInBackground();
        }, e => Log.WatcherError(logger, e));
        _geo = geo;
        _options = options;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // GeoIP first: steering is compiled against the databases when the zones load.
        _geo.Start();
        _geo.Changed += set =>
        {
            Log.GeoIpChanged(_logger, set.ToString());
            Request();
        };
        _stamp = FolderStamp.Of(_loader.Folder);
        _loader.LoadInitial();
        HeapAfterLoad.CompactBeforeServing();
        Volatile.Write(ref _loaded, true);
        if (_options.WatchZones)
        {
            _poll = new Timer(_ => PollFolder(), null, PollInterval, PollInterval);
            _watcher = new FileSystemWatcher(_loader.Folder)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watcher.Changed += (_, _) => Request();
            _watcher.Created += (_, _) => Request();
            _watcher.Deleted += (_, _) => Request();
            _watcher.Renamed += (_, _) => Request();
            _watcher.Error += (_, e) =>
            {
                Log.WatcherError(_logger, e.GetException());
                Request();
            };
            _watcher.EnableRaisingEvents = true;
        }
        if (!OperatingSystem.IsWindows())
        {
            // The README promises SIGHUP reloads, however the server was started (nohup included).
            SignalDisposition.ResetSighupOnce();
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                Log.Reloading(_logger, "SIGHUP");
                // SIGHUP re-reads everything: GeoIP databases too, without waiting for their poll.
                _geo.Reload();
                Request();
            });
        }
        _reloads.Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// True once the GeoIP databases and then the zones and their policies have been loaded the first
    /// time (a bad first load stops the start instead); reloads never turn it back.
    /// </summary>
    public bool InitialLoadDone => Volatile.Read(ref _loaded);

    /// <summary>Requests a reload when the folder's stamp moved since the last poll.</summary>
    private void PollFolder()
    {
        var stamp = FolderStamp.Of(_loader.Folder);
        if (Interlocked.Exchange(ref _stamp, stamp) != stamp) Request();
    }

    /// <summary>Asks for a reload; many requests in a short time give one reload.</summary>
    public void Request() => _reloads.Request();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null) _watcher.EnableRaisingEvents = false;
        _poll?.Dispose();
        await _reloads.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _poll?.Dispose();
        _sighup?.Dispose();
        _reloads.Dispose();
    }
}
