using System.Globalization;

namespace GslbDns.Zones.Reading;

/// <summary>CLASS mnemonics (RFC 1035 §3.2.4, RFC 2136 NONE, RFC 3597 CLASSnnn).</summary>
internal static class ClassText
{
    public static bool IsClass(string text, out bool isInternet)
    {
        isInternet = false;
        switch (text.ToUpperInvariant())
        {
            case "IN":
                isInternet = true;
                return true;
            case "CH" or "CS" or "HS" or "NONE":
                return true;
        }
        if (text.Length > 5 && text.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out ushort value))
        {
            isInternet = value == 1;
            return true;
        }
        return false;
    }
}
