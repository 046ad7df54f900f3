using GslbDns.Api;
using GslbDns.Configuration;
using GslbDns.Health;
using GslbDns.Steering;
using GslbDns.Steering.State;

namespace GslbDns.Metrics;

/// <summary>
/// What the run-time metrics read at one scrape: the status document (regions, addresses, load), the
/// health checks, the steering decision counts and the load ledger. Built once per scrape, off the
/// query path, so every gauge of one scrape describes the same moment.
/// </summary>
internal sealed record MetricsSnapshot(
    DateTimeOffset Time,
    StatusDocument Status,
    IReadOnlyList<HealthCheckView> Checks,
    IReadOnlyList<(RegionKey Region, SteeringReason Reason, long Count)> Decisions,
    IReadOnlyList<LoadLedger.Entry> Loads);
