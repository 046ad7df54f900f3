using GslbDns.Configuration;
using GslbDns.Listening;
using Microsoft.Extensions.Hosting;

namespace GslbDns.Hosting;

/// <summary>
/// Whether the server should be sent queries: once the first zones, policies and GeoIP databases are
/// loaded, every DNS socket is bound and the host has started, and no longer once shutdown has begun.
/// <c>GET /readyz</c> answers it, and systemd's READY=1 follows the same moment: the host raises
/// ApplicationStarted, on which Microsoft.Extensions.Hosting.Systemd notifies, only after every
/// hosted service has started, the zones and the listeners among them.
/// </summary>
public sealed class ServerReadiness(ZoneReloadService zones, DnsServerListeners listeners, IHostApplicationLifetime lifetime)
{
    /// <summary>Ready or not, with the reason when not (the first unmet condition, in start order).</summary>
    public (bool Ready, string Reason) Check()
    {
        // Checked first: shutdown turns readiness off before any listener closes (ApplicationStopping
        // is raised before the hosted services are stopped).
        if (lifetime.ApplicationStopping.IsCancellationRequested) return (false, "shutting down");
        if (!zones.InitialLoadDone) return (false, "loading zones, policies and GeoIP databases");
        if (!listeners.Serving) return (false, "binding DNS listeners");
        if (!lifetime.ApplicationStarted.IsCancellationRequested) return (false, "starting");
        return (true, "ready");
    }
}
