using System.Globalization;

namespace GslbDns.Health;

/// <summary>Durations as policy files write them: <c>250ms</c>, <c>5s</c>, <c>1m</c> (a bare number is seconds).</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 1.0),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1000.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60_000.0),
            _ => (text, 1000.0),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount)) return false;
        double ms = amount * scale;
        if (double.IsNaN(ms) || double.IsInfinity(ms) || ms > TimeSpan.FromDays(1).TotalMilliseconds) return false;
        value = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds % 60_000 == 0 && value.TotalMinutes >= 1 ? $"{value.TotalMinutes:0}m"
        : value.TotalMilliseconds % 1000 == 0 ? $"{value.TotalSeconds:0}s"
        : $"{value.TotalMilliseconds:0}ms";
}
