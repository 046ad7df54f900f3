namespace GslbDns.Zones;

/// <summary>The one mutable reference the query path reads: the zone set currently served.</summary>
public sealed class ZoneStore
{
    private volatile ZoneSet _current = ZoneSet.Empty;

    public ZoneSet Current => _current;

    public void Publish(ZoneSet zones) => _current = zones;
}
