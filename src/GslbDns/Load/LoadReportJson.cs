using System.Text.Json;
using GslbDns.Steering.State;

namespace GslbDns.Load;

/// <summary>A load report as its JSON body gives it, with the ttl the sender asked for (if any).</summary>
public readonly record struct LoadReportBody(LoadReport Report, TimeSpan? Ttl);

/// <summary>
/// Reads the load report JSON <c>{"cpu":0.72,"memory":0.55,"connections":4100,"capacity":5000,"ttl":15}</c>:
/// cpu and memory fractions 0..1, connections and capacity non-negative integers, ttl in seconds
/// (above 0, at most 3600). Every field is optional but one load field must be there. Strict on purpose:
/// a typo'd or mistyped field would otherwise pass as "no load", which steers as an idle region.
/// </summary>
public static class LoadReportJson
{
    public const double MaxTtlSeconds = 3600;

    public static bool TryParse(ReadOnlySpan<byte> json, out LoadReportBody body, out string error)
    {
        body = default;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "a load report is a JSON object";
                return false;
            }
            double? cpu = null, memory = null, ttl = null;
            long? connections = null, capacity = null;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                if (!seen.Add(name))
                {
                    error = $"'{name}' appears twice";
                    return false;
                }
                reader.Read();
                switch (name)
                {
                    case "cpu":
                    case "memory":
                        if (!Fraction(ref reader, name, out double fraction, out error)) return false;
                        if (name == "cpu") cpu = fraction;
                        else memory = fraction;
                        break;
                    case "connections":
                    case "capacity":
                        if (!Count(ref reader, name, out long count, out error)) return false;
                        if (name == "connections") connections = count;
                        else capacity = count;
                        break;
                    case "ttl":
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double seconds))
                        {
                            error = "'ttl' must be a number of seconds";
                            return false;
                        }
                        if (seconds is not (> 0 and <= MaxTtlSeconds))
                        {
                            error = $"'ttl' must be above 0 and at most {MaxTtlSeconds} seconds, found {seconds}";
                            return false;
                        }
                        ttl = seconds;
                        break;
                    default:
                        error = $"unknown field '{name}' (known: cpu, memory, connections, capacity, ttl)";
                        return false;
                }
            }
            if (reader.Read())
            {
                error = "text after the report object";
                return false;
            }
            if (cpu is null && memory is null && connections is null && capacity is null)
            {
                error = "no load field (cpu, memory, connections or capacity)";
                return false;
            }
            body = new LoadReportBody(new LoadReport(cpu, memory, connections, capacity), ttl is { } t ? TimeSpan.FromSeconds(t) : null);
            error = "";
            return true;
        }
        catch (JsonException ex)
        {
            error = "not valid JSON: " + ex.Message;
            return false;
        }
    }

    private static bool Fraction(ref Utf8JsonReader reader, string name, out double value, out string error)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out value))
        {
            error = $"'{name}' must be a number (a fraction, 0.72 is 72 %)";
            return false;
        }
        if (value is not (>= 0 and <= 1))
        {
            error = $"'{name}' must be a fraction from 0 to 1 (0.72 is 72 %), found {value}";
            return false;
        }
        error = "";
        return true;
    }

    private static bool Count(ref Utf8JsonReader reader, string name, out long value, out string error)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out value))
        {
            error = $"'{name}' must be a whole number";
            return false;
        }
        if (value < 0)
        {
            error = $"'{name}' must not be negative, found {value}";
            return false;
        }
        error = "";
        return true;
    }
}
