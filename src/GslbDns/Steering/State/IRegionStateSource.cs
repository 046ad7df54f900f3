namespace GslbDns.Steering.State;

/// <summary>
/// Current state of the regions of one policy document, indexed by <see cref="Policy.ServicePolicy.Index"/>
/// and region index. Called on the query path: implementations must answer from prepared data
/// without allocating or blocking (for example arrays swapped by reference when state changes).
/// </summary>
public interface IRegionStateSource
{
    RegionStatus GetRegion(int service, int region);

    /// <summary>
    /// Health of one address of the region's target, so an answer can leave out addresses that are
    /// down; <see cref="HealthStatus.Unknown"/> for an address the source does not track.
    /// </summary>
    HealthStatus GetAddressHealth(int service, int region, UInt128 address);

    /// <summary>
    /// True while a region of the service is down or changed state within the last fall × interval:
    /// steered answers then carry the service's ttl-unhealthy.
    /// </summary>
    bool IsDegraded(int service);

    /// <summary>
    /// <paramref name="set"/> (an A or AAAA RRset of the region's target) less the addresses that are
    /// down, prepared when the state changed: the query path only picks it, allocating nothing.
    /// </summary>
    Zones.RRSet Filter(int service, int region, in Zones.RRSet set);

    /// <summary>
    /// Counts one steering decision: an answer steered to <paramref name="region"/> (for the share of
    /// answers each region gets, and the decision metrics), or with -1 an all-down answer of the service.
    /// </summary>
    void CountAnswer(int service, int region, SteeringReason reason);
}
