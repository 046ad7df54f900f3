using System.Globalization;
using System.Net;

namespace GslbDns.Configuration;

public static class ListenAddress
{
    /// <summary>Parses "127.0.0.1:5353", "[::1]:5353" or "0.0.0.0:53".</summary>
    public static bool TryParse(string text, out IPEndPoint endpoint, out string error)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        error = "";
        if (!IPEndPoint.TryParse(text, out var parsed) || !HasExplicitPort(text))
        {
            error = $"listen address '{text}' is not ADDR:PORT (IPv6 as [::1]:5353)";
            return false;
        }
        endpoint = parsed;
        return true;
    }

    private static bool HasExplicitPort(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon < 0) return false;
        if (text.StartsWith('[')) return text.IndexOf(']', StringComparison.Ordinal) == colon - 1 && IsPort(text[(colon + 1)..]);
        return text.IndexOf(':') == colon && IsPort(text[(colon + 1)..]);
    }

    private static bool IsPort(string text) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
