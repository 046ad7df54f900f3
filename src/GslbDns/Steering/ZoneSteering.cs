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
    private readonly Dictionary<DnsName, SteeredService> _services;
    private readonly Dictionary<DnsName, SteeredService>.AlternateLookup<ReadOnlySpan<byte>> _serviceLookup;
    private readonly Dictionary<DnsName, (SteeredService Service, int Region)> _targets;
    private readonly Dictionary<DnsName, (SteeredService Service, int Region)>.AlternateLookup<ReadOnlySpan<byte>> _targetLookup;

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
                _targets.TryAdd(region.Target, (service, region.Index));
            }
        }
        _serviceLookup = _services.GetAlternateLookup<ReadOnlySpan<byte>>();
        _targetLookup = _targets.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public PolicyDocument Document { get; }

    public IRegionStateSource State { get; }

    public SteeredService[] Services { get; }

    public SteeredService? FindService(ReadOnlySpan<byte> name) =>
        _serviceLookup.TryGetValue(name, out var service) ? service : null;

    /// <summary>The service and region whose target is <paramref name="name"/>, for direct queries of a region's LB name.</summary>
    public bool TryFindTarget(ReadOnlySpan<byte> name, out SteeredService service, out int region)
    {
        if (_targetLookup.TryGetValue(name, out var found))
        {
            (service, region) = found;
            return true;
        }
        service = null!;
        region = -1;
        return false;
    }
}
