using GslbDns.Protocol;
using GslbDns.Steering;

namespace GslbDns.Zones;

/// <summary>
/// All zones served at one moment. Immutable: a reload builds a new set and swaps one reference,
/// so a query sees either the old zones or the new ones, never a mix.
/// </summary>
public sealed class ZoneSet
{
    public static readonly ZoneSet Empty = new([]);

    private readonly Dictionary<DnsName, ServedZone> _zones;
    private readonly Dictionary<DnsName, ServedZone>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public ZoneSet(IEnumerable<ServedZone> zones)
    {
        _zones = new Dictionary<DnsName, ServedZone>(WireComparer.Instance);
        foreach (var zone in zones) _zones[zone.Zone.Origin] = zone;
        _lookup = _zones.GetAlternateLookup<ReadOnlySpan<byte>>();
        _originLengths = new WireLengthSet(_zones.Keys);
    }

    private readonly WireLengthSet _originLengths;

    public int Count => _zones.Count;

    public IEnumerable<ServedZone> Zones => _zones.Values;

    /// <summary>The zone with the longest origin at or above <paramref name="name"/>, or null.</summary>
    public ServedZone? FindZone(ReadOnlySpan<byte> name)
    {
        if (_zones.Count == 0) return null;
        int pos = 0;
        while (true)
        {
            // Suffixes no origin is as long as are not hashed: usually one look-up per query.
            if (_originLengths.Contains(name.Length - pos) && _lookup.TryGetValue(name[pos..], out var zone)) return zone;
            if (name[pos] == 0) return null;
            pos += name[pos] + 1;
        }
    }
}

/// <summary>A zone as served: its records and, when a policy file steers names in it, the compiled steering.</summary>
public sealed record ServedZone(CompiledZone Zone, ZoneSteering? Steering);
