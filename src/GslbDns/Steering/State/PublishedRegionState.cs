namespace GslbDns.Steering.State;

/// <summary>
/// A region state source fed from outside (health checks, load reports): the producer builds a new
/// <see cref="RegionStateTable"/> and publishes it; queries read whichever table is current.
/// </summary>
public sealed class PublishedRegionState(RegionStateTable initial) : IRegionStateSource
{
    private volatile RegionStateTable _current = initial;

    public RegionStateTable Current => _current;

    public void Publish(RegionStateTable table) => _current = table;

    public RegionStatus GetRegion(int service, int region) => _current.Region(service, region);

    public HealthStatus GetAddressHealth(int service, int region, UInt128 address) => _current.AddressHealth(service, region, address);

    public bool IsDegraded(int service) => _current.IsDegraded(service);

    public Zones.RRSet Filter(int service, int region, in Zones.RRSet set) => _current.Filter(service, region, set);

    public void CountAnswer(int service, int region, SteeringReason reason) => _current.CountAnswer(service, region, reason);
}
