using System.Net;
using GslbDns.Configuration;
using GslbDns.Hosting;
using GslbDns.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Transfer;

/// <summary>
/// Tells secondaries when a zone changes (RFC 1996): after each load, every (zone, secondary) pair of
/// <c>transfer.yaml</c> gets a NOTIFY loop of its own (the keyed loops of <see cref="LoopSet{TKey, TLoop}"/>),
/// announced when the zone's SOA serial differs from the last one announced. The serial comes from
/// the zone file alone; health and load never change it. At start every configured secondary is
/// notified once, as BIND does, so a secondary that missed changes while we were down catches up.
/// </summary>
public sealed class NotifyService : IHostedService, IAsyncDisposable
{
    private readonly ZoneCatalogLoader _loader;
    private readonly ZoneStore _zones;
    private readonly TransferConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger<NotifyService> _logger;
    private readonly LoopSet<(DnsName Zone, IPEndPoint Secondary), NotifyLoop> _loops = new();

    public NotifyService(ZoneCatalogLoader loader, ZoneStore zones, TransferConfig config, TimeProvider time, ILogger<NotifyService> logger)
    {
        _loader = loader;
        _zones = zones;
        _config = config;
        _time = time;
        _logger = logger;
        _loader.Published += Sync;
        // A key file reload can put rules in force that a zone reload had rejected.
        _loader.TransferRulesChanged += Sync;
    }

    /// <summary>The NOTIFY loops running now, one per (zone, secondary); tests read their counts.</summary>
    internal IReadOnlyList<NotifyLoop> Loops => _loops.Running;

    /// <summary>How long to wait for each reply and how often to try; tests shorten it.</summary>
    internal NotifyTiming Timing { get; init; } = NotifyTiming.Default;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The zones loaded before this service started (ZoneReloadService runs first).
        Sync(null);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _loops.DisposeAsync().AsTask();

    private readonly object _gate = new();

    private void Sync(ZoneSet? published)
    {
        lock (_gate)
        {
            var zones = published ?? _zones.Current;
            var wanted = new List<((DnsName, IPEndPoint), (IPEndPoint Secondary, NotifyAnnouncement Announcement))>();
            foreach (var rule in _config.Rules.Rules)
            {
                var served = zones.FindZone(rule.Zone.Wire);
                if (served is null || !served.Zone.Origin.Equals(rule.Zone)) continue;
                // The key is chosen at each try from the keys in force then (a key file reload may change them).
                var keys = rule.Tsig ?? [];
                foreach (var secondary in rule.Notify)
                {
                    wanted.Add(((rule.Zone, secondary), (secondary, new NotifyAnnouncement(served.Zone, keys))));
                }
            }
            _loops.Sync(wanted,
                create: item =>
                {
                    var loop = new NotifyLoop(item.Secondary, Timing, _time, _logger, () => _config.Keys);
                    loop.Announce(item.Announcement);
                    return loop;
                },
                update: (loop, item) =>
                {
                    if (loop.Serial != item.Announcement.Zone.Serial) loop.Announce(item.Announcement);
                });
        }
    }

    public ValueTask DisposeAsync()
    {
        _loader.Published -= Sync;
        _loader.TransferRulesChanged -= Sync;
        return _loops.DisposeAsync();
    }
}
