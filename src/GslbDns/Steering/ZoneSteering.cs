using GslbDns.Protocol;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;

namespace GslbDns.Steering;

/// <summary>
/// The steering of one zone, compiled from its policy file, the GeoIP databases and the admin
/// state: immutable, replaced as a whole with the zone set it belongs to.
/// </summary>
public sealed class ZoneSteering
{
    // Services and region targets in two tables: a steered query finds its service among the
    // zone's services only. One table of both made a service's look-up pay for the targets as well
    // (100 regions to a service make a table 100 times the size, and its cache misses grew with it);
    // a target is looked up only for a name that is not a service, and none of either is looked up
    // when no steered name is as long as the query name.
    private readonly Dictionary<DnsName, SteeredService> _services;
    private readonly Dictionary<DnsName, SteeredService>.AlternateLookup<ReadOnlySpan<byte>> _serviceLookup;
    private readonly WireLengthSet _serviceLengths;
    private readonly Dictionary<DnsName, (SteeredService Service, int Region)> _targets;
    private readonly Dictionary<DnsName, (SteeredService Service, int Region)>.AlternateLookup<ReadOnlySpan<byte>> _targetLookup;
    private readonly WireLengthSet _targetLengths;

    internal ZoneSteering(PolicyDocument document, IRegionStateSource state, SteeredService[] services)
    {
        Document = document;
        State = state;
        Services = services;
        _services = new Dictionary<DnsName, SteeredService>(WireComparer.Instance);
        _targets = new Dictionary<DnsName, (SteeredService, int)>(WireComparer.Instance);
        foreach (var service in services)
        {
            _services[service.Policy.Name] = service;
            foreach (var region in service.Regions)
            {
                // The first service naming a target keeps it, as before.
                _targets.TryAdd(region.Target, (service, region.Index));
            }
        }
        _serviceLookup = _services.GetAlternateLookup<ReadOnlySpan<byte>>();
        _serviceLengths = new WireLengthSet(_services.Keys);
        _targetLookup = _targets.GetAlternateLookup<ReadOnlySpan<byte>>();
        _targetLengths = new WireLengthSet(_targets.Keys);
    }

    public PolicyDocument Document { get; }

    public IRegionStateSource State { get; }

    public SteeredService[] Services { get; }

    /// <summary>The service steering <paramref name="name"/>, or null (a name may be a service and a target at once: the service wins).</summary>
    public SteeredService? FindService(ReadOnlySpan<byte> name) =>
        _serviceLengths.Contains(name.Length) && _serviceLookup.TryGetValue(name, out var service) ? service : null;

    /// <summary>The service and region whose target is <paramref name="name"/>, for direct queries of a region's LB name.</summary>
    public bool TryFindTarget(ReadOnlySpan<byte> name, out SteeredService service, out int region)
    {
        if (_targetLengths.Contains(name.Length) && _targetLookup.TryGetValue(name, out var found))
        {
            (service, region) = found;
            return true;
        }
        service = null!;
        region = -1;
        return false;
    }
}
