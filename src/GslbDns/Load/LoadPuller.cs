using GslbDns.Configuration;
using GslbDns.Observability;
using GslbDns.Steering.State;
using GslbDns.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Load;

/// <summary>
/// Pull mode: fetches the load of regions whose load balancer cannot push it (policy region key
/// <c>load: { pull: URL }</c> or <c>load: { agent: host:port }</c>) and stores it like a pushed report.
/// Starts once the zones are loaded and follows every reload: a poller whose region and spec are
/// unchanged polls on, removed ones stop (and take back a drain their agent set), new ones start.
/// </summary>
public sealed class LoadPuller : IHostedService, IAsyncDisposable
{
    private readonly ZoneCatalogLoader _loader;
    private readonly ZoneStore _zones;
    private readonly Random _random;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<LoadPollKey, RegionPoller> _running = [];
    private bool _disposed;

    public LoadPuller(ZoneCatalogLoader loader, ZoneStore zones, RegionStateStore state, ILoadFetcher fetcher, TimeProvider time,
        ILogger<LoadPuller> logger, Random? random = null)
    {
        _loader = loader;
        _zones = zones;
        State = state;
        Fetcher = fetcher;
        Time = time;
        Logger = logger;
        _random = random ?? Random.Shared;
    }

    internal RegionStateStore State { get; }

    internal ILoadFetcher Fetcher { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>The regions polled now, with whether their polls are failing.</summary>
    public IReadOnlyList<(LoadPoll Poll, bool Failing, int Polls)> Snapshot()
    {
        RegionPoller[] running;
        lock (_gate) running = [.. _running.Values];
        return running.Select(r => (r.Poll, r.Failing, Volatile.Read(ref r.Polls))).OrderBy(r => r.Poll.Region.ToString(), StringComparer.Ordinal).ToArray();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loader.Published += Sync;
        Sync(_zones.Current);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _loader.Published -= Sync;
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Brings the pollers in line with the zone set now served.</summary>
    public void Sync(ZoneSet zones)
    {
        var wanted = LoadPollPlan.From(zones);
        var started = new List<RegionPoller>();
        List<RegionPoller> stopped;
        bool changed;
        lock (_gate)
        {
            if (_disposed) return;
            var next = new Dictionary<LoadPollKey, RegionPoller>();
            foreach (var (key, poll) in wanted)
            {
                if (_running.TryGetValue(key, out var existing)) existing.Poll = poll;
                else started.Add(existing = new RegionPoller(this, poll));
                next[key] = existing;
            }
            stopped = _running.Where(r => !next.ContainsKey(r.Key)).Select(r => r.Value).ToList();
            changed = started.Count > 0 || stopped.Count > 0;
            _running = next;
        }
        // Stopped first: a region whose spec changed gets a new poller, and the old one's drain must be
        // cleared before the new one can set it again.
        foreach (var poller in stopped) poller.Stop();
        foreach (var poller in started) poller.Start(_stopping.Token);
        if (changed) Log.LoadPulling(Logger, wanted.Count, started.Count, stopped.Count);
    }

    /// <summary>The wait before a new poller's first poll: spread over up to a second so a reload does not fire them all at once.</summary>
    internal TimeSpan FirstDelay(TimeSpan interval) => TimeSpan.FromTicks((long)(Math.Min(interval.Ticks, TimeSpan.TicksPerSecond) * NextDouble()));

    /// <summary>The interval give or take 5 %, so pollers that started together drift apart.</summary>
    internal TimeSpan Period(TimeSpan interval) => TimeSpan.FromTicks((long)(interval.Ticks * (1 + (NextDouble() - 0.5) * 0.1)));

    private double NextDouble()
    {
        lock (_random) return _random.NextDouble();
    }

    public async ValueTask DisposeAsync()
    {
        RegionPoller[] running;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            running = [.. _running.Values];
            _running = [];
        }
        _stopping.Cancel();
        foreach (var poller in running) poller.Stop();
        await Task.WhenAll(running.Select(r => r.Completion)).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
