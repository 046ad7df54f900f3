using System.Globalization;
using System.Text.Json;
using GslbDns.Steering.State;

namespace GslbDns.Load;

/// <summary>A load report as a region sends it: the report, and how long it asks to stay valid (null: the policy's report-ttl).</summary>
public readonly record struct LoadReportBody(LoadReport Report, TimeSpan? Ttl);

/// <summary>
/// Reads the JSON of a load report, <c>{"cpu":0.72,"memory":0.55,"connections":4100,"capacity":5000,"ttl":15}</c>,
/// the same for reports pushed to the API and for URLs the server polls. A hand-checked
/// <see cref="Utf8JsonReader"/> loop rather than a serializer, so every rejection names the field and
/// what was wrong with it (a serializer reports a path and a byte offset).
/// </summary>
public static class LoadReportJson
{
    public const int MinTtlSeconds = 1;
    public const int MaxTtlSeconds = 3600;

    private const string Fields = "cpu, memory, connections, capacity, ttl";

    /// <summary>
    /// Parses one report. Every field is optional, but one of cpu, memory and connections must be
    /// there; null counts as absent. Returns false with an operator-readable <paramref name="error"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out LoadReportBody body, out string error)
    {
        body = default;
        error = "";
        if (IsBlank(json))
        {
            error = "the body is empty; send a JSON object such as {\"cpu\":0.72,\"connections\":4100}";
            return false;
        }
        double? cpu = null, memory = null;
        long? connections = null, capacity = null;
        TimeSpan? ttl = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"the body must be a JSON object, found {Describe(reader.TokenType)}";
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                if (!reader.Read()) break;
                if (!seen.Add(name))
                {
                    error = $"field '{name}' is given twice";
                    return false;
                }
                if (reader.TokenType == JsonTokenType.Null)
                {
                    if (!IsKnown(name))
                    {
                        error = Unknown(name);
                        return false;
                    }
                    continue;
                }
                bool ok = name switch
                {
                    "cpu" => Fraction(ref reader, name, out cpu, out error),
                    "memory" => Fraction(ref reader, name, out memory, out error),
                    "connections" => Count(ref reader, name, 0, out connections, out error),
                    "capacity" => Count(ref reader, name, 1, out capacity, out error),
                    "ttl" => Seconds(ref reader, out ttl, out error),
                    _ => Fail(Unknown(name), out error),
                };
                if (!ok) return false;
            }
            if (reader.TokenType != JsonTokenType.EndObject)
            {
                error = "the body is not valid JSON: the object is not closed";
                return false;
            }
            if (reader.Read())
            {
                error = $"the body must hold one JSON object; found more after it (at byte {reader.TokenStartIndex})";
                return false;
            }
        }
        catch (JsonException e)
        {
            error = $"the body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})";
            return false;
        }
        if (cpu is null && memory is null && connections is null)
        {
            error = "the report has none of cpu, memory, connections; give at least one";
            return false;
        }
        body = new LoadReportBody(new LoadReport(cpu, memory, connections, capacity), ttl);
        return true;
    }

    private static bool IsKnown(string name) => name is "cpu" or "memory" or "connections" or "capacity" or "ttl";

    private static string Unknown(string name) => $"unknown field '{name}'; a report has: {Fields}";

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    private static bool Fraction(ref Utf8JsonReader reader, string name, out double? value, out string error)
    {
        value = null;
        error = "";
        if (reader.TokenType != JsonTokenType.Number) return Fail($"{name} must be a number from 0 to 1, found {Describe(reader.TokenType)}", out error);
        if (!reader.TryGetDouble(out double number) || !double.IsFinite(number) || number < 0 || number > 1)
        {
            return Fail($"{name} must be a fraction from 0 to 1 (0.72 for 72%), found {Raw(ref reader)}", out error);
        }
        value = number;
        return true;
    }

    private static bool Count(ref Utf8JsonReader reader, string name, long min, out long? value, out string error)
    {
        value = null;
        error = "";
        string expected = min == 0 ? "a whole number, 0 or more" : $"a whole number, {min} or more";
        if (reader.TokenType != JsonTokenType.Number) return Fail($"{name} must be {expected}, found {Describe(reader.TokenType)}", out error);
        if (!reader.TryGetInt64(out long number) || number < min) return Fail($"{name} must be {expected}, found {Raw(ref reader)}", out error);
        value = number;
        return true;
    }

    private static bool Seconds(ref Utf8JsonReader reader, out TimeSpan? value, out string error)
    {
        value = null;
        error = "";
        const string expected = "ttl must be whole seconds from 1 to 3600";
        if (reader.TokenType != JsonTokenType.Number) return Fail($"{expected}, found {Describe(reader.TokenType)}", out error);
        if (!reader.TryGetInt64(out long seconds) || seconds < MinTtlSeconds || seconds > MaxTtlSeconds)
        {
            return Fail($"{expected}, found {Raw(ref reader)}", out error);
        }
        value = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>The number as it was written (bounded, for the message).</summary>
    private static string Raw(ref Utf8JsonReader reader)
    {
        byte[] span = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray();
        string text = System.Text.Encoding.UTF8.GetString(span);
        return text.Length > 40 ? text[..40] + "..." : text;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.Number => "a number",
        JsonTokenType.None => "nothing",
        _ => token.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static bool IsBlank(ReadOnlySpan<byte> json)
    {
        foreach (byte b in json)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        }
        return true;
    }
}
