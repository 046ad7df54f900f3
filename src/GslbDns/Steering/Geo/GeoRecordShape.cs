namespace GslbDns.Steering.Geo;

/// <summary>
/// Checks the GeoIP2 fields that steering reads, so a source with a typo fails at build time rather than
/// silently sending clients to the default region.
/// </summary>
public static class GeoRecordShape
{
    public static IEnumerable<string> Check(MmdbMap record)
    {
        foreach (var name in new[] { "country", "registered_country", "represented_country" })
        {
            if (Get(record, name) is { } country)
            {
                if (country is not MmdbMap map)
                {
                    yield return $"{name} must be a map";
                }
                else if (Get(map, "iso_code") is { } code && !IsCountryCode(code))
                {
                    yield return $"{name}.iso_code must be two upper-case letters";
                }
            }
        }
        if (Get(record, "country_code") is { } flatCode && !IsCountryCode(flatCode))
        {
            yield return "country_code must be two upper-case letters";
        }
        if (Get(record, "continent") is { } continent)
        {
            if (continent is not MmdbMap map)
            {
                yield return "continent must be a map";
            }
            else if (Get(map, "code") is { } code && !(code is MmdbString s && CountryContinents.Codes.Contains(s.Value)))
            {
                yield return $"continent.code must be one of {string.Join(", ", CountryContinents.Codes.Order())}";
            }
        }
        if (Get(record, "subdivisions") is { } subdivisions)
        {
            if (subdivisions is not MmdbArray array || array.Items.Any(i => i is not MmdbMap m || Get(m, "iso_code") is not (null or MmdbString)))
            {
                yield return "subdivisions must be an array of maps with a string iso_code";
            }
        }
        if (Get(record, "location") is { } location)
        {
            if (location is not MmdbMap map)
            {
                yield return "location must be a map";
            }
            else
            {
                foreach (var problem in CheckCoordinates(map, "location."))
                {
                    yield return problem;
                }
            }
        }
        foreach (var problem in CheckCoordinates(record, ""))
        {
            yield return problem;
        }
        if (Get(record, "autonomous_system_number") is { } asn && asn is not (MmdbUInt32 or MmdbUInt16))
        {
            yield return "autonomous_system_number must be an unsigned 32-bit integer";
        }
    }

    private static IEnumerable<string> CheckCoordinates(MmdbMap map, string path)
    {
        var latitude = Get(map, "latitude");
        var longitude = Get(map, "longitude");
        if ((latitude is null) != (longitude is null))
        {
            yield return $"{path}latitude and {path}longitude must be given together";
        }
        if (latitude is not null && !(Number(latitude) is { } lat && lat is >= -90 and <= 90))
        {
            yield return $"{path}latitude must be a number from -90 to 90";
        }
        if (longitude is not null && !(Number(longitude) is { } lon && lon is >= -180 and <= 180))
        {
            yield return $"{path}longitude must be a number from -180 to 180";
        }
    }

    private static double? Number(MmdbValue value) => value switch
    {
        MmdbDouble d => d.Value,
        MmdbFloat f => f.Value,
        _ => null,
    };

    private static bool IsCountryCode(MmdbValue value) =>
        value is MmdbString { Value.Length: 2 } s && char.IsAsciiLetterUpper(s.Value[0]) && char.IsAsciiLetterUpper(s.Value[1]);

    private static MmdbValue? Get(MmdbMap map, string key)
    {
        foreach (var (k, v) in map.Entries)
        {
            if (k == key)
            {
                return v;
            }
        }
        return null;
    }
}
