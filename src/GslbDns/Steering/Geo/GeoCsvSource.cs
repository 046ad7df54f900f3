using System.Globalization;
using System.Text;
using GslbDns.Zones;

namespace GslbDns.Steering.Geo;

/// <summary>
/// Reads a CSV GeoIP source. The first line is a header naming some of
/// <c>network,country_code,continent_code,subdivision_code,latitude,longitude,asn,asn_org</c> in any
/// order (network is required). Rows map into the GeoIP2 City schema: country.iso_code, continent.code
/// (derived from the country when not given), subdivisions[0].iso_code, location.latitude/longitude,
/// autonomous_system_number and autonomous_system_organization. Empty lines and lines starting with
/// '#' are skipped; fields may be double-quoted (RFC 4180) to hold commas.
/// </summary>
public static class GeoCsvSource
{
    private static readonly string[] KnownColumns =
        ["network", "country_code", "continent_code", "subdivision_code", "latitude", "longitude", "asn", "asn_org"];

    public static GeoSource Read(string file, string text)
    {
        var entries = new List<GeoSourceEntry>();
        var problems = new List<ZoneProblem>();
        var lines = text.Split('\n');
        Dictionary<string, int>? columns = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var location = new SourceLocation(file, i + 1);
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            if (!TrySplit(line, out var fields, out var splitError))
            {
                problems.Add(new ZoneProblem(location, splitError));
                continue;
            }
            if (columns is null)
            {
                columns = ReadHeader(fields, location, problems);
                if (columns is null)
                {
                    break;
                }
                continue;
            }
            ReadRow(fields, columns, location, entries, problems);
        }
        if (columns is null && problems.Count == 0)
        {
            problems.Add(new ZoneProblem(new SourceLocation(file, 1), $"missing header line ({string.Join(',', KnownColumns)})"));
        }
        return new GeoSource(entries, problems);
    }

    private static Dictionary<string, int>? ReadHeader(List<string> fields, SourceLocation location, List<ZoneProblem> problems)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var ok = true;
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().ToLowerInvariant();
            if (!KnownColumns.Contains(name))
            {
                problems.Add(new ZoneProblem(location, $"unknown column '{fields[i]}' (known: {string.Join(", ", KnownColumns)})"));
                ok = false;
            }
            else if (!columns.TryAdd(name, i))
            {
                problems.Add(new ZoneProblem(location, $"column '{name}' appears twice"));
                ok = false;
            }
        }
        if (!columns.ContainsKey("network"))
        {
            problems.Add(new ZoneProblem(location, "header has no 'network' column"));
            ok = false;
        }
        return ok ? columns : null;
    }

    private static void ReadRow(List<string> fields, Dictionary<string, int> columns, SourceLocation location, List<GeoSourceEntry> entries, List<ZoneProblem> problems)
    {
        if (fields.Count != columns.Count)
        {
            problems.Add(new ZoneProblem(location, $"expected {columns.Count} fields, found {fields.Count}"));
            return;
        }
        string Field(string name) => columns.TryGetValue(name, out var i) ? fields[i].Trim() : "";
        var before = problems.Count;
        void Problem(string message) => problems.Add(new ZoneProblem(location, message));

        if (!IpPrefix.TryParse(Field("network"), out var network, out var networkError))
        {
            Problem($"network: {networkError}");
        }
        var record = new List<KeyValuePair<string, MmdbValue>>();
        var country = Field("country_code").ToUpperInvariant();
        if (country.Length > 0 && !(country.Length == 2 && char.IsAsciiLetter(country[0]) && char.IsAsciiLetter(country[1])))
        {
            Problem($"country_code '{country}' is not a two-letter ISO 3166-1 code");
        }
        var continent = Field("continent_code").ToUpperInvariant();
        if (continent.Length > 0 && !CountryContinents.Codes.Contains(continent))
        {
            Problem($"continent_code '{continent}' is not one of {string.Join(", ", CountryContinents.Codes.Order())}");
        }
        if (continent.Length == 0 && country.Length == 2)
        {
            continent = CountryContinents.Of(country) ?? "";
        }
        if (continent.Length > 0)
        {
            record.Add(new("continent", MmdbMap.Of(("code", new MmdbString(continent)))));
        }
        if (country.Length > 0)
        {
            record.Add(new("country", MmdbMap.Of(("iso_code", new MmdbString(country)))));
        }

        var latitudeText = Field("latitude");
        var longitudeText = Field("longitude");
        if ((latitudeText.Length == 0) != (longitudeText.Length == 0))
        {
            Problem("latitude and longitude must be given together");
        }
        else if (latitudeText.Length > 0)
        {
            var latOk = double.TryParse(latitudeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var latitude) && latitude is >= -90 and <= 90;
            var lonOk = double.TryParse(longitudeText, NumberStyles.Float, CultureInfo.InvariantCulture, out var longitude) && longitude is >= -180 and <= 180;
            if (!latOk)
            {
                Problem($"latitude '{latitudeText}' is not a number from -90 to 90");
            }
            if (!lonOk)
            {
                Problem($"longitude '{longitudeText}' is not a number from -180 to 180");
            }
            if (latOk && lonOk)
            {
                record.Add(new("location", MmdbMap.Of(("latitude", new MmdbDouble(latitude)), ("longitude", new MmdbDouble(longitude)))));
            }
        }

        var subdivision = Field("subdivision_code").ToUpperInvariant();
        if (subdivision.Length > 0)
        {
            // Accept "ENG" or "GB-ENG"; the GeoIP2 schema stores the part after the country.
            var dash = subdivision.IndexOf('-');
            if (dash >= 0)
            {
                if (country.Length > 0 && subdivision[..dash] != country)
                {
                    Problem($"subdivision_code '{subdivision}' is not in country {country}");
                }
                subdivision = subdivision[(dash + 1)..];
            }
            if (subdivision.Length is < 1 or > 3 || !subdivision.All(char.IsAsciiLetterOrDigit))
            {
                Problem($"subdivision_code '{Field("subdivision_code")}' is not an ISO 3166-2 subdivision (1-3 letters or digits)");
            }
            else
            {
                record.Add(new("subdivisions", new MmdbArray([MmdbMap.Of(("iso_code", new MmdbString(subdivision)))])));
            }
        }

        var asnText = Field("asn");
        if (asnText.StartsWith("AS", StringComparison.OrdinalIgnoreCase))
        {
            asnText = asnText[2..];
        }
        if (asnText.Length > 0)
        {
            if (uint.TryParse(asnText, NumberStyles.None, CultureInfo.InvariantCulture, out var asn))
            {
                record.Add(new("autonomous_system_number", new MmdbUInt32(asn)));
            }
            else
            {
                Problem($"asn '{Field("asn")}' is not an AS number (0-4294967295)");
            }
        }
        var asnOrg = Field("asn_org");
        if (asnOrg.Length > 0)
        {
            record.Add(new("autonomous_system_organization", new MmdbString(asnOrg)));
        }

        if (problems.Count == before)
        {
            entries.Add(new GeoSourceEntry(network, new MmdbMap(record), location));
        }
    }

    private static bool TrySplit(string line, out List<string> fields, out string error)
    {
        fields = [];
        error = "";
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        if (quoted)
        {
            error = "unterminated quoted field";
            return false;
        }
        fields.Add(field.ToString());
        return true;
    }
}
