using GslbDns.Configuration;
using GslbDns.Observability;
using GslbDns.Zones;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Health;

/// <summary>
/// Starts the checks once the zones are loaded (before the DNS listeners answer) and keeps them in
/// step with every reload.
/// </summary>
public sealed class HealthService(HealthMonitor monitor, ZoneCatalogLoader loader, ZoneStore zones, ILogger<HealthService> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        loader.Published += Sync;
        Sync(zones.Current);
        return Task.CompletedTask;
    }

    private void Sync(ZoneSet set)
    {
        monitor.Sync(set);
        var checks = monitor.Snapshot();
        if (checks.Count > 0)
        {
            Log.HealthChecking(logger, checks.Count, checks.Select(c => (c.Check.Key.Service, c.Check.Key.Region)).Distinct().Count());
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        loader.Published -= Sync;
        await monitor.DisposeAsync().ConfigureAwait(false);
    }
}
