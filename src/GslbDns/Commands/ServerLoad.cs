using GslbDns.Api;
using GslbDns.Steering.State;

namespace GslbDns.Commands;

/// <summary>
/// The load reports and drains explain uses with <c>--server</c>: a running server's, read from its
/// <c>GET /api/v1/status</c>, so the explained choice sheds and drains as the server's does.
/// </summary>
public static class ServerLoad
{
    public static StatusDocument? Fetch(Uri server, out string error) =>
        ApiClient.GetJson(server, "/api/v1/status", StatusJsonContext.Default.StatusDocument, "load and drains", out error);

    /// <summary>
    /// Puts the server's valid reports into <paramref name="state"/> (for the rest of their ttl) and
    /// its drains beyond the admin file (over the API or from a load agent) as drains, by name.
    /// </summary>
    public static void Apply(StatusDocument document, RegionStateStore state, TimeProvider time)
    {
        var drains = new List<RegionKey>();
        foreach (var service in document.Services)
        {
            if (!DnsName.TryParse(service.Service.TrimEnd('.') + ".", null, out var name, out _)) continue;
            foreach (var region in service.Regions)
            {
                var key = new RegionKey(name, region.Region);
                // Drains beyond the file's (the API's, a load agent's) count as API drains here.
                if (region.Admin == "drain" && region.AdminSources.File != "drain") drains.Add(key);
                if (region.Load.Report is not { Valid: true } report) continue;
                var age = time.GetUtcNow() - document.Time + TimeSpan.FromSeconds(report.AgeSeconds);
                state.SetLoad(key, new LoadReport(report.Cpu, report.Memory, report.Connections, report.Capacity, report.Utilization),
                    TimeSpan.FromHours(1), $"{report.Source}, {age.TotalSeconds:0} s old");
            }
        }
        state.SetApiDrains(drains);
    }
}
