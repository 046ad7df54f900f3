using System.Net;
using GslbDns.Health;
using GslbDns.Steering;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Api;

/// <summary>
/// Builds <see cref="HealthDocument"/> from what is served now: the steered services of the zone
/// set, the verdicts steering uses (the state store) and the checks' details (the monitor).
/// </summary>
/// <remarks>Clustered, each checked address also lists every live instance's vote and the rule that combined them.</remarks>
public sealed class HealthReport(ZoneStore zones, HealthMonitor monitor, TimeProvider time, RegionStateStore? state = null,
    Cluster.ClusterService? cluster = null)
{
    public HealthDocument Build()
    {
        var views = new Dictionary<AddressKey, HealthCheckView>();
        foreach (var view in monitor.Snapshot())
        {
            foreach (var address in view.Check.Addresses) views[address] = view;
        }
        var services = new List<ServiceHealth>();
        foreach (var served in zones.Current.Zones.OrderBy(z => z.Zone.Origin.ToString(), StringComparer.Ordinal))
        {
            if (served.Steering is not { } steering) continue;
            foreach (var service in steering.Services)
            {
                var policy = service.Policy;
                var regions = new List<RegionHealth>();
                foreach (var region in service.Regions)
                {
                    var config = policy.Regions[region.Index];
                    var status = steering.State.GetRegion(policy.Index, region.Index);
                    var addresses = new List<AddressHealthView>();
                    foreach (var record in region.AddressRecords())
                    {
                        var bits = AddressFilter.AddressOf(record.Bytes);
                        var verdict = steering.State.GetAddressHealth(policy.Index, region.Index, bits);
                        var key = new AddressKey(policy.Name, config.Name, bits);
                        var address = views.TryGetValue(key, out var view)
                            ? new AddressHealthView(new IPAddress(record.Bytes).ToString(), Endpoint(view.Check.Key.Endpoint), Text(verdict),
                                view.Since, view.Reason, view.Last?.Detail, view.Last?.Success, view.Last?.Latency.TotalMilliseconds,
                                view.LastAt, view.Successes, view.Failures)
                            : new AddressHealthView(new IPAddress(record.Bytes).ToString(), null, Text(verdict), null,
                                config.Health.Kind == CheckKind.None ? "not checked" : "initial", null, null, null, null, 0, 0);
                        if (cluster is not null && state is not null && config.Health.Kind != CheckKind.None)
                        {
                            address = address with
                            {
                                Agree = config.Health.Agree.ToString(),
                                Votes = [new VoteView(cluster.Settings.InstanceName, Text(state.HealthOf(key)), Self: true),
                                    .. state.PeerVotesOf(key).Select(v => new VoteView(v.Instance, Text(v.Status)))],
                            };
                        }
                        addresses.Add(address);
                    }
                    regions.Add(new RegionHealth(config.Name, Name(region.Target), Text(status.Health), status.Admin.ToString().ToLowerInvariant(),
                        config.Health.ToString(), addresses));
                }
                services.Add(new ServiceHealth(Name(policy.Name), Name(served.Zone.Origin), steering.State.IsDegraded(policy.Index),
                    policy.Ttl, policy.TtlUnhealthy, regions));
            }
        }
        return new HealthDocument(time.GetUtcNow(), services);
    }

    public static string Text(HealthStatus status) => status.ToString().ToLowerInvariant();

    private static string Name(DnsName name) => name.ToString().TrimEnd('.');

    private static string Endpoint(IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : endpoint.ToString();
}
