using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Api;

/// <summary>
/// Builds <see cref="StatusDocument"/>: the health document (regions and addresses as
/// <c>/api/v1/health</c> gives them) with each region's overrides and their sources, its load (the
/// last report and what steering made of it) and its share of the last minute's answers.
/// </summary>
public sealed class StatusReport(ZoneStore zones, HealthReport health, RegionStateStore state, Load.LoadPuller puller, TimeProvider time,
    Cluster.ClusterService? cluster = null)
{
    public StatusDocument Build()
    {
        var pulls = puller.Snapshot().ToDictionary(p => p.Poll.Region);
        var healthDocument = health.Build();
        var byRegion = new Dictionary<(string, string), RegionHealth>();
        foreach (var service in healthDocument.Services)
        {
            foreach (var region in service.Regions) byRegion.TryAdd((service.Service, region.Region), region);
        }
        var now = time.GetUtcNow();
        var services = new List<ServiceStatus>();
        foreach (var served in zones.Current.Zones.OrderBy(z => z.Zone.Origin.ToString(), StringComparer.Ordinal))
        {
            if (served.Steering is not { } steering) continue;
            foreach (var service in steering.Services)
            {
                var policy = service.Policy;
                string serviceName = Name(policy.Name);
                var counts = policy.Regions.Select(r => state.RecentAnswers(new RegionKey(policy.Name, r.Name))).ToArray();
                long total = counts.Sum();
                var regions = new List<RegionStatusView>();
                foreach (var region in service.Regions)
                {
                    var config = policy.Regions[region.Index];
                    var key = new RegionKey(policy.Name, config.Name);
                    var status = steering.State.GetRegion(policy.Index, region.Index);
                    var (file, api) = state.AdminSourcesOf(key);
                    byRegion.TryGetValue((serviceName, config.Name), out var regionHealth);
                    long answers = counts[region.Index];
                    regions.Add(new RegionStatusView(
                        config.Name,
                        Name(region.Target),
                        regionHealth?.Health ?? HealthReport.Text(status.Health),
                        Lower(status.Admin),
                        new AdminSourcesView(Lower(file), api, state.PulledDrainOf(key)),
                        LoadView(status, config, key, now) with
                        {
                            Pull = pulls.TryGetValue(key, out var pull)
                                ? new LoadPullView(pull.Poll.Source, pull.Poll.Spec.Interval.TotalSeconds, pull.Failing, pull.Polls)
                                : null,
                        },
                        answers,
                        total == 0 ? 0 : Math.Round((double)answers / total, 4),
                        regionHealth?.Addresses ?? [],
                        config.Location is { } at ? new LocationView(at.Latitude, at.Longitude) : null,
                        state.AnswerSeries(key)));
                }
                var load = policy.Load;
                services.Add(new ServiceStatus(serviceName, Name(served.Zone.Origin), steering.State.IsDegraded(policy.Index),
                    new LoadPolicyView(load.ShedStart, load.ShedFull, Lower(load.Spill), load.ReportTtl.TotalSeconds), total, regions,
                    RegionStateStore.SampleSeconds));
            }
        }
        return new StatusDocument(now, services, cluster is null ? null : Cluster.ClusterViews.Build(cluster, now));
    }

    private RegionLoadView LoadView(RegionStatus status, RegionConfig config, RegionKey key, DateTimeOffset now)
    {
        LoadReportView? report = null;
        if (state.LoadOf(key) is var (received, valid))
        {
            var r = received.Report;
            double ratio = r.Ratio(config.Capacity);
            report = new LoadReportView(r.Cpu, r.Memory, r.Connections, r.Capacity, r.Utilization, double.IsNaN(ratio) ? null : Round(ratio),
                received.Received, Math.Round(Math.Max(0, (now - received.Received).TotalSeconds), 1), valid,
                valid ? "valid" : "expired", received.Source);
        }
        return new RegionLoadView(status.HasLoad, status.HasLoad ? Round(status.Load) : null, Round(status.ShedShare),
            double.IsNaN(status.Spare) ? null : Round(status.Spare), report);
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Name(DnsName name) => name.ToString().TrimEnd('.');
}
