using GslbDns.Health;
using GslbDns.Observability;
using Microsoft.Extensions.Logging;

namespace GslbDns.Cluster;

/// <summary>
/// Whether the shared store can be reached, from what the watcher and the writer see: up while both
/// work; down once either has failed on every endpoint in turn (one member lost costs one failed
/// call and moves on, so it is not an outage); stale once down for <c>--cluster-stale-after</c>, when
/// the other instances' health votes are set aside. Each change is logged once.
/// </summary>
public sealed class ClusterReachability : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _staleAfter;
    private readonly int _endpoints;
    private readonly ILogger _logger;
    private readonly ITimer _staleTimer;
    private bool _watching, _writing;
    private int _watchFailures, _writeFailures;
    private bool _loggedDown;

    public ClusterReachability(ClusterSettings settings, TimeProvider time, ILogger logger)
    {
        _time = time;
        _staleAfter = settings.StaleAfter;
        _endpoints = settings.Endpoints.Count;
        _logger = logger;
        _staleTimer = time.CreateTimer(_ => MarkStale(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        DownSince = time.GetUtcNow();
        _staleTimer.Change(_staleAfter, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Both the watch and the writes work.</summary>
    public bool Up
    {
        get
        {
            lock (_gate) return _watching && _writing;
        }
    }

    /// <summary>Down for longer than the stale time: peers' health votes do not count.</summary>
    public bool Stale { get; private set; }

    /// <summary>When the store was last lost (or when this instance started, before the first contact); null while up.</summary>
    public DateTimeOffset? DownSince { get; private set; }

    /// <summary>The last failure, for the status.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>Raised (outside the lock) when <see cref="Stale"/> changes.</summary>
    public event Action? StaleChanged;

    public void WatchSucceeded() => Succeeded(watch: true);

    public void WriteSucceeded() => Succeeded(watch: false);

    public void WatchFailed(string problem) => Failed(watch: true, problem);

    public void WriteFailed(string problem) => Failed(watch: false, problem);

    private void Succeeded(bool watch)
    {
        bool wasStale;
        lock (_gate)
        {
            if (watch)
            {
                _watching = true;
                _watchFailures = 0;
            }
            else
            {
                _writing = true;
                _writeFailures = 0;
            }
            if (!(_watching && _writing) || DownSince is null) return;
            DownSince = null;
            _loggedDown = false;
            _staleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            wasStale = Stale;
            Stale = false;
        }
        Log.ClusterStoreUp(_logger);
        if (wasStale) StaleChanged?.Invoke();
    }

    private void Failed(bool watch, string problem)
    {
        lock (_gate)
        {
            LastProblem = problem;
            int failures = watch ? ++_watchFailures : ++_writeFailures;
            // Every endpoint tried once without success: the store is lost, not just one member.
            if (failures < _endpoints) return;
            if (watch) _watching = false;
            else _writing = false;
            if (DownSince is null)
            {
                DownSince = _time.GetUtcNow();
                _staleTimer.Change(_staleAfter, Timeout.InfiniteTimeSpan);
            }
            if (_loggedDown) return;
            _loggedDown = true;
        }
        Log.ClusterStoreDown(_logger, problem, Durations.Format(_staleAfter));
    }

    private void MarkStale()
    {
        lock (_gate)
        {
            if (DownSince is null || Stale) return;
            Stale = true;
        }
        Log.ClusterStoreStale(_logger, Durations.Format(_staleAfter));
        StaleChanged?.Invoke();
    }

    public void Dispose() => _staleTimer.Dispose();
}
