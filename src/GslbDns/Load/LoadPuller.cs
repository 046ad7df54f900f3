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
    private readonly Hosting.LoopSet<LoadPollKey, RegionPoller> _pollers = new();

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
        return _pollers.Running.Select(r => (r.Poll, r.Failing, Volatile.Read(ref r.Polls))).OrderBy(r => r.Poll.Region.ToString(), StringComparer.Ordinal).ToArray();
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
        // Stopped ones are told first: a region whose spec changed gets a new poller, and the old one's
        // drain must be cleared before the new one can set it again.
        var (started, stopped) = _pollers.Sync(wanted.Select(w => (w.Key, w.Value)), poll => new RegionPoller(this, poll), (poller, poll) => poller.Poll = poll);
        if (started.Count > 0 || stopped.Count > 0) Log.LoadPulling(Logger, wanted.Count, started.Count, stopped.Count);
    }

    /// <summary>The wait before a new poller's first poll: spread over up to a second so a reload does not fire them all at once.</summary>
    internal TimeSpan FirstDelay(TimeSpan interval) => TimeSpan.FromTicks((long)(Math.Min(interval.Ticks, TimeSpan.TicksPerSecond) * NextDouble()));

    /// <summary>The interval give or take 5 %, so pollers that started together drift apart.</summary>
    internal TimeSpan Period(TimeSpan interval) => TimeSpan.FromTicks((long)(interval.Ticks * (1 + (NextDouble() - 0.5) * 0.1)));

    private double NextDouble()
    {
        lock (_random) return _random.NextDouble();
    }

    public ValueTask DisposeAsync() => _pollers.DisposeAsync();
}
