using GslbDns.Pipeline;

namespace GslbDns.Steering.Geo;

/// <summary>
/// Several databases read together (e.g. City plus ASN): each field of the facts comes from the first
/// database, in the given order, that has it. Disposing the set disposes its databases.
/// </summary>
public sealed class GeoDatabaseSet : IDisposable
{
    public GeoDatabaseSet(IReadOnlyList<GeoDatabase> databases)
    {
        Databases = databases;
    }

    public static GeoDatabaseSet Empty { get; } = new([]);

    public IReadOnlyList<GeoDatabase> Databases { get; }

    /// <summary>Merged facts for an address; unknown for reserved (private, loopback, link-local) addresses.</summary>
    public GeoFacts Lookup(ClientAddress address)
    {
        if (ReservedNetworks.Contains(address.Bits))
        {
            return GeoFacts.Unknown;
        }
        var facts = GeoFacts.Unknown;
        foreach (var database in Databases)
        {
            facts = facts.Merge(database.Lookup(address));
        }
        return facts;
    }

    public void Dispose()
    {
        foreach (var database in Databases)
        {
            database.Dispose();
        }
    }

    public override string ToString() => Databases.Count == 0 ? "no GeoIP databases" : string.Join("; ", Databases);
}
