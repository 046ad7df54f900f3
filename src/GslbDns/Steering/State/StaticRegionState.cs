using GslbDns.Steering.Policy;

namespace GslbDns.Steering.State;

/// <summary>
/// Region state without health checks or load reports: every region and address is up with no
/// load, except where the operator's admin override drains a region or marks it down.
/// </summary>
public sealed class StaticRegionState : IRegionStateSource
{
    private readonly RegionStateTable _base;
    private volatile RegionStateTable _current;

    public StaticRegionState(PolicyDocument document, AdminRegionState[][]? admin = null)
    {
        Document = document;
        _base = RegionStateTable.Uniform(document, RegionStatus.AllUp);
        _current = admin is null ? _base : _base.WithAdmin(admin);
    }

    public PolicyDocument Document { get; }

    /// <summary>Replaces the admin override (e.g. after admin-state.yaml changed); readers see old or new, never a mix.</summary>
    public void Apply(AdminRegionState[][] admin) => _current = _base.WithAdmin(admin);

    public RegionStatus GetRegion(int service, int region) => _current.Region(service, region);

    /// <summary>Every address is up: nothing checks them.</summary>
    public HealthStatus GetAddressHealth(int service, int region, UInt128 address) => HealthStatus.Up;
}
