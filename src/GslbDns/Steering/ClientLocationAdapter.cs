using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.Topology;

namespace GslbDns.Steering;

/// <summary>Turns what the GeoIP databases say into what topology rules match on.</summary>
public static class ClientLocationAdapter
{
    public static ClientLocation From(in GeoFacts facts)
    {
        var subdivisions = facts.Subdivisions;
        return new ClientLocation(
            facts.Continent,
            facts.Country,
            subdivisions.Count > 0 ? subdivisions[0] : null,
            subdivisions.Count > 1 ? subdivisions[1] : null,
            facts.Asn ?? 0,
            facts.HasLocation ? new GeoPoint(facts.Latitude!.Value, facts.Longitude!.Value) : null);
    }
}
