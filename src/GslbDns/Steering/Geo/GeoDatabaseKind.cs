namespace GslbDns.Steering.Geo;

/// <summary>The record layout of a GeoIP database, as detected at open.</summary>
public enum GeoDatabaseKind
{
    /// <summary>GeoIP2/GeoLite2 City schema (country, continent, subdivisions, location).</summary>
    City,

    /// <summary>GeoIP2/GeoLite2 Country schema (country and continent only).</summary>
    Country,

    /// <summary>GeoLite2 ASN schema (autonomous_system_number/organization), or ISP data that carries it.</summary>
    Asn,

    /// <summary>Top-level country_code (and optional continent_code, latitude, longitude), as in free country files.</summary>
    Flat,
}
