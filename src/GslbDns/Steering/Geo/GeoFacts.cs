namespace GslbDns.Steering.Geo;

/// <summary>
/// What the GeoIP databases say about one address. All fields are optional; <see cref="IsUnknown"/>
/// when no database knows the address (or it is private, loopback or link-local).
/// </summary>
public readonly record struct GeoFacts
{
    /// <summary>ISO 3166-1 alpha-2 country, upper case (country, else registered country).</summary>
    public string? Country { get; init; }

    /// <summary>Continent code: AF, AN, AS, EU, NA, OC or SA.</summary>
    public string? Continent { get; init; }

    /// <summary>ISO 3166-2 subdivisions, largest first, as "GB-ENG" (country, '-', subdivision code).</summary>
    public IReadOnlyList<string> Subdivisions { get => field ?? []; init; }

    public uint? Asn { get; init; }

    public string? AsnOrganization { get; init; }

    public double? Latitude { get; init; }

    public double? Longitude { get; init; }

    /// <summary>
    /// The database network the address fell in (the narrowest when several databases answered);
    /// null in facts handed to a classifier at tree compile time, which describe whole ranges.
    /// </summary>
    public IpPrefix? MatchedNetwork { get; init; }

    public static GeoFacts Unknown => default;

    public bool IsUnknown => Country is null && Continent is null && Subdivisions.Count == 0 && Asn is null
        && AsnOrganization is null && Latitude is null && Longitude is null;

    public bool HasLocation => Latitude is not null && Longitude is not null;

    /// <summary>These facts with fields this lacks taken from <paramref name="other"/>.</summary>
    public GeoFacts Merge(GeoFacts other) => new()
    {
        Country = Country ?? other.Country,
        Continent = Continent ?? other.Continent,
        Subdivisions = Subdivisions.Count > 0 ? Subdivisions : other.Subdivisions,
        Asn = Asn ?? other.Asn,
        AsnOrganization = AsnOrganization ?? other.AsnOrganization,
        Latitude = HasLocation ? Latitude : other.Latitude,
        Longitude = HasLocation ? Longitude : other.Longitude,
        MatchedNetwork = Narrower(MatchedNetwork, other.MatchedNetwork),
    };

    public bool Equals(GeoFacts other) =>
        Country == other.Country && Continent == other.Continent && Subdivisions.SequenceEqual(other.Subdivisions)
        && Asn == other.Asn && AsnOrganization == other.AsnOrganization && Latitude == other.Latitude
        && Longitude == other.Longitude && MatchedNetwork == other.MatchedNetwork;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Country);
        hash.Add(Continent);
        foreach (var subdivision in Subdivisions)
        {
            hash.Add(subdivision);
        }
        hash.Add(Asn);
        hash.Add(AsnOrganization);
        hash.Add(Latitude);
        hash.Add(Longitude);
        hash.Add(MatchedNetwork);
        return hash.ToHashCode();
    }

    public override string ToString()
    {
        if (IsUnknown)
        {
            return "unknown";
        }
        var parts = new List<string>();
        if (Country is not null) parts.Add($"country={Country}");
        if (Continent is not null) parts.Add($"continent={Continent}");
        if (Subdivisions.Count > 0) parts.Add($"subdivisions={string.Join(',', Subdivisions)}");
        if (Asn is not null) parts.Add($"asn={Asn}");
        if (AsnOrganization is not null) parts.Add($"asn-org=\"{AsnOrganization}\"");
        if (HasLocation) parts.Add(FormattableString.Invariant($"location={Latitude},{Longitude}"));
        if (MatchedNetwork is not null) parts.Add($"network={MatchedNetwork}");
        return string.Join(' ', parts);
    }

    private static IpPrefix? Narrower(IpPrefix? a, IpPrefix? b) =>
        a is null ? b : b is null ? a : (b.Value.Length > a.Value.Length ? b : a);
}
