namespace GslbDns.Zones.Reading;

/// <summary>
/// Time values in master files: plain seconds, or BIND-style unit sequences such as "1h30m", "2d"
/// or "1W" (units w, d, h, m, s in either case; every number then carries a unit).
/// </summary>
internal static class TtlText
{
    /// <summary>RFC 2181 §8: a TTL is an unsigned number from 0 to 2^31 - 1.</summary>
    public const uint MaxTtl = int.MaxValue;

    /// <summary>Parses a TTL and checks the RFC 2181 §8 range; the error names the text.</summary>
    public static bool TryParseTtl(ReadOnlySpan<char> text, out uint ttl, out string error)
    {
        ttl = 0;
        if (!TryParseSeconds(text, out ulong seconds, out string reason))
        {
            error = $"bad TTL '{text}': {reason}";
            return false;
        }
        if (seconds > MaxTtl)
        {
            error = $"bad TTL '{text}': {seconds} is over the maximum {MaxTtl} (RFC 2181 §8)";
            return false;
        }
        ttl = (uint)seconds;
        error = "";
        return true;
    }

    /// <summary>Parses a time value with optional units; values over 2^32 - 1 are refused.</summary>
    public static bool TryParseSeconds(ReadOnlySpan<char> text, out ulong seconds, out string reason)
    {
        seconds = 0;
        reason = "";
        if (text.Length == 0)
        {
            reason = "empty";
            return false;
        }
        int i = 0;
        bool anyUnit = false;
        while (i < text.Length)
        {
            int start = i;
            ulong number = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                number = number * 10 + (ulong)(text[i] - '0');
                if (number > uint.MaxValue)
                {
                    reason = "number too large";
                    return false;
                }
                i++;
            }
            if (i == start)
            {
                reason = $"expected a number at '{text[i..]}'";
                return false;
            }
            ulong multiplier;
            if (i == text.Length)
            {
                if (anyUnit)
                {
                    reason = $"'{text[start..]}' has no unit (use s, m, h, d or w)";
                    return false;
                }
                multiplier = 1;
            }
            else
            {
                multiplier = char.ToLowerInvariant(text[i]) switch
                {
                    's' => 1,
                    'm' => 60,
                    'h' => 3600,
                    'd' => 86400,
                    'w' => 604800,
                    _ => 0,
                };
                if (multiplier == 0)
                {
                    reason = $"unknown unit '{text[i]}' (use s, m, h, d or w)";
                    return false;
                }
                anyUnit = true;
                i++;
            }
            seconds += number * multiplier;
            if (seconds > uint.MaxValue)
            {
                reason = "value too large";
                return false;
            }
        }
        return true;
    }
}
