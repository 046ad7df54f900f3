using MaxMind.Db;

namespace GslbDns.Steering.Geo;

/// <summary>
/// The fields steering reads from any supported record layout, decoded by MaxMind.Db into this small
/// model (other fields are skipped, not decoded): the GeoIP2 City/Country schema, the GeoLite2 ASN
/// schema, and flat country files with top-level country_code/latitude/longitude.
/// </summary>
internal sealed class GeoRecord
{
    [Constructor]
    public GeoRecord(
        [MapKey("country")] GeoRecordCountry? country,
        [MapKey("registered_country")] GeoRecordCountry? registeredCountry,
        [MapKey("continent")] GeoRecordContinent? continent,
        [MapKey("subdivisions")] List<GeoRecordSubdivision>? subdivisions,
        [MapKey("location")] GeoRecordLocation? location,
        [MapKey("autonomous_system_number")] long? asn,
        [MapKey("autonomous_system_organization")] string? asnOrganization,
        [MapKey("country_code")] string? countryCode,
        [MapKey("continent_code")] string? continentCode,
        [MapKey("latitude")] object? latitude,
        [MapKey("longitude")] object? longitude)
    {
        Country = country;
        RegisteredCountry = registeredCountry;
        Continent = continent;
        Subdivisions = subdivisions;
        Location = location;
        Asn = asn;
        AsnOrganization = asnOrganization;
        CountryCode = countryCode;
        ContinentCode = continentCode;
        Latitude = latitude;
        Longitude = longitude;
    }

    public GeoRecordCountry? Country { get; }
    public GeoRecordCountry? RegisteredCountry { get; }
    public GeoRecordContinent? Continent { get; }
    public List<GeoRecordSubdivision>? Subdivisions { get; }
    public GeoRecordLocation? Location { get; }
    public long? Asn { get; }
    public string? AsnOrganization { get; }
    public string? CountryCode { get; }
    public string? ContinentCode { get; }

    /// <summary>Flat files store coordinates as float or double; decoded as whatever the file holds.</summary>
    public object? Latitude { get; }
    public object? Longitude { get; }
}

internal sealed class GeoRecordCountry
{
    [Constructor]
    public GeoRecordCountry([MapKey("iso_code")] string? isoCode) => IsoCode = isoCode;

    public string? IsoCode { get; }
}

internal sealed class GeoRecordContinent
{
    [Constructor]
    public GeoRecordContinent([MapKey("code")] string? code) => Code = code;

    public string? Code { get; }
}

internal sealed class GeoRecordSubdivision
{
    [Constructor]
    public GeoRecordSubdivision([MapKey("iso_code")] string? isoCode) => IsoCode = isoCode;

    public string? IsoCode { get; }
}

internal sealed class GeoRecordLocation
{
    [Constructor]
    public GeoRecordLocation([MapKey("latitude")] double? latitude, [MapKey("longitude")] double? longitude)
    {
        Latitude = latitude;
        Longitude = longitude;
    }

    public double? Latitude { get; }
    public double? Longitude { get; }
}
