using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>
/// One region a service can be steered to.
/// </summary>
/// <param name="Name">The region's name, unique within the service (used in rules and the admin file).</param>
/// <param name="Target">
/// The name whose A/AAAA records serve this region; for a CNAME-mode service also the CNAME target.
/// It lies inside the zone so its addresses (and their health) are known.
/// </param>
/// <param name="Location">Where the region is; required when any rule orders regions by distance.</param>
/// <param name="Weight">Share of client networks among live regions of equal rank; greater than zero.</param>
/// <param name="Capacity">Connections the region takes; the load of a report with connections but no capacity is connections / this.</param>
public sealed record RegionConfig(
    string Name,
    DnsName Target,
    GeoPoint? Location,
    int Weight,
    long? Capacity,
    SourceLocation Source)
{
    public const int DefaultWeight = 100;
    public const int MaxWeight = 1_000_000;

    /// <summary>How each address of the target is probed (defaults, service and region health blocks merged).</summary>
    public Health.HealthCheckSpec Health { get; init; } = new();

    /// <summary>Where the server polls the region's load itself; null when the region pushes reports (or none).</summary>
    public LoadPullSpec? LoadSource { get; init; }

    /// <summary>Seed for rendezvous hashing, derived from the name so it is stable across reloads.</summary>
    public ulong Seed { get; } = StableHash.Of(Name);
}
