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
    // Services and region targets in one table: a name that is neither (most of a zone's names)
    // costs one look-up, and none when no steered name is as long as it.
    private readonly Dictionary<DnsName, SteeredName> _names;
    private readonly Dictionary<DnsName, SteeredName>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly WireLengthSet _lengths;

    /// <summary>What a name is to the steering: a service's name, a region's target, or both.</summary>
    public readonly record struct SteeredName(SteeredService? Service, SteeredService? TargetOf, int TargetRegion);

    internal ZoneSteering(PolicyDocument document, IRegionStateSource state, SteeredService[] services)
    {
        Document = document;
        State = state;
        Services = services;
        _names = new Dictionary<DnsName, SteeredName>(WireComparer.Instance);
        foreach (var service in services)
        {
            _names[service.Policy.Name] = _names.GetValueOrDefault(service.Policy.Name) with { Service = service };
        }
        foreach (var service in services)
        {
            foreach (var region in service.Regions)
            {
                // The first service naming a target keeps it, as before.
                var entry = _names.GetValueOrDefault(region.Target);
                if (entry.TargetOf is null) _names[region.Target] = entry with { TargetOf = service, TargetRegion = region.Index };
            }
        }
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<byte>>();
        _lengths = new WireLengthSet(_names.Keys);
    }

    public PolicyDocument Document { get; }

    public IRegionStateSource State { get; }

    public SteeredService[] Services { get; }

    /// <summary>What <paramref name="name"/> is to the steering; false when it is neither a service nor a target.</summary>
    public bool TryFind(ReadOnlySpan<byte> name, out SteeredName found)
    {
        if (_lengths.Contains(name.Length)) return _lookup.TryGetValue(name, out found);
        found = default;
        return false;
    }

    public SteeredService? FindService(ReadOnlySpan<byte> name) =>
        TryFind(name, out var found) ? found.Service : null;

    /// <summary>The service and region whose target is <paramref name="name"/>, for direct queries of a region's LB name.</summary>
    public bool TryFindTarget(ReadOnlySpan<byte> name, out SteeredService service, out int region)
    {
        if (TryFind(name, out var found) && found.TargetOf is not null)
        {
            service = found.TargetOf;
            region = found.TargetRegion;
            return true;
        }
        service = null!;
        region = -1;
        return false;
    }
}
