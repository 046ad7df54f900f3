using System.Text.Json;
using GslbDns.Zones;

namespace GslbDns.Steering.Geo;

/// <summary>
/// Reads a JSON GeoIP source: an array whose elements are either
/// <c>{ "network": "CIDR", "data": { ... } }</c> or MaxMind's test-data shape <c>{ "CIDR": { ... } }</c>.
/// Data maps to MaxMind DB types: strings, booleans, arrays and maps as such; whole numbers as uint32
/// (uint64 when larger, int32 when negative); fractions as double. latitude/longitude are always
/// double and accuracy_radius/metro_code uint16, as in the GeoIP2 schema.
/// </summary>
public static class GeoJsonSource
{
    private static readonly HashSet<string> DoubleKeys = new(["latitude", "longitude"], StringComparer.Ordinal);
    private static readonly HashSet<string> UInt16Keys = new(["accuracy_radius", "metro_code", "confidence"], StringComparer.Ordinal);

    public static GeoSource Read(string file, byte[] utf8)
    {
        var entries = new List<GeoSourceEntry>();
        var problems = new List<ZoneProblem>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                problems.Add(new ZoneProblem(new SourceLocation(file, LineAt(utf8, reader.TokenStartIndex)), "expected a JSON array of networks"));
                return new GeoSource(entries, problems);
            }
            var index = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var location = new SourceLocation(file, LineAt(utf8, reader.TokenStartIndex));
                using var element = JsonDocument.ParseValue(ref reader);
                ReadElement(element.RootElement, index, location, entries, problems);
                index++;
            }
        }
        catch (JsonException e)
        {
            problems.Add(new ZoneProblem(new SourceLocation(file, (int)(e.LineNumber ?? 0) + 1), $"invalid JSON: {e.Message}"));
        }
        return new GeoSource(entries, problems);
    }

    private static void ReadElement(JsonElement element, int index, SourceLocation location, List<GeoSourceEntry> entries, List<ZoneProblem> problems)
    {
        var where = $"element {index}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new ZoneProblem(location, $"{where}: expected an object, found {element.ValueKind}"));
            return;
        }
        string? networkText;
        JsonElement data;
        if (element.TryGetProperty("network", out var network))
        {
            if (network.ValueKind != JsonValueKind.String)
            {
                problems.Add(new ZoneProblem(location, $"{where}: \"network\" must be a string"));
                return;
            }
            networkText = network.GetString();
            if (!element.TryGetProperty("data", out data))
            {
                problems.Add(new ZoneProblem(location, $"{where}: missing \"data\""));
                return;
            }
        }
        else
        {
            var properties = element.EnumerateObject().ToList();
            if (properties.Count != 1)
            {
                problems.Add(new ZoneProblem(location, $"{where}: expected {{\"network\": ..., \"data\": ...}} or a single {{\"CIDR\": data}} pair"));
                return;
            }
            networkText = properties[0].Name;
            data = properties[0].Value;
        }
        if (!IpPrefix.TryParse(networkText ?? "", out var prefix, out var error))
        {
            problems.Add(new ZoneProblem(location, $"{where}: {error}"));
            return;
        }
        where = $"{where} ({networkText})";
        if (data.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new ZoneProblem(location, $"{where}: data must be an object"));
            return;
        }
        var before = problems.Count;
        var value = Convert(data, key: null, $"{where}: data", location, problems);
        if (problems.Count == before)
        {
            foreach (var problem in GeoRecordShape.Check((MmdbMap)value))
            {
                problems.Add(new ZoneProblem(location, $"{where}: {problem}"));
            }
        }
        if (problems.Count == before)
        {
            entries.Add(new GeoSourceEntry(prefix, value, location));
        }
    }

    private static MmdbValue Convert(JsonElement value, string? key, string path, SourceLocation location, List<ZoneProblem> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var entries = new List<KeyValuePair<string, MmdbValue>>();
                foreach (var property in value.EnumerateObject())
                {
                    entries.Add(new(property.Name, Convert(property.Value, property.Name, $"{path}.{property.Name}", location, problems)));
                }
                return new MmdbMap(entries);
            case JsonValueKind.Array:
                return new MmdbArray(value.EnumerateArray().Select((item, i) => Convert(item, null, $"{path}[{i}]", location, problems)).ToArray());
            case JsonValueKind.String:
                return new MmdbString(value.GetString()!);
            case JsonValueKind.True:
                return new MmdbBoolean(true);
            case JsonValueKind.False:
                return new MmdbBoolean(false);
            case JsonValueKind.Number:
                if (key is not null && DoubleKeys.Contains(key))
                {
                    return new MmdbDouble(value.GetDouble());
                }
                if (key is not null && UInt16Keys.Contains(key) && value.TryGetUInt16(out var u16))
                {
                    return new MmdbUInt16(u16);
                }
                if (value.TryGetUInt32(out var u32))
                {
                    return new MmdbUInt32(u32);
                }
                if (value.TryGetUInt64(out var u64))
                {
                    return new MmdbUInt64(u64);
                }
                if (value.TryGetInt32(out var i32))
                {
                    return new MmdbInt32(i32);
                }
                if (value.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0 && value.TryGetDouble(out var d))
                {
                    return new MmdbDouble(d);
                }
                problems.Add(new ZoneProblem(location, $"{path}: number {value.GetRawText()} is out of range"));
                return new MmdbUInt32(0);
            default:
                problems.Add(new ZoneProblem(location, $"{path}: {value.ValueKind} cannot be stored"));
                return new MmdbUInt32(0);
        }
    }

    private static int LineAt(byte[] utf8, long offset)
    {
        var end = (int)Math.Min(offset, utf8.Length);
        return utf8.AsSpan(0, end).Count((byte)'\n') + 1;
    }
}
