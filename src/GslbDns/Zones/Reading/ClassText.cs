using System.Globalization;

namespace GslbDns.Zones.Reading;

/// <summary>CLASS mnemonics (RFC 1035 §3.2.4, RFC 2136 NONE, RFC 3597 CLASSnnn).</summary>
internal static class ClassText
{
    public static bool IsClass(ReadOnlySpan<char> text, out bool isInternet)
    {
        isInternet = false;
        if (text.Equals("IN", StringComparison.OrdinalIgnoreCase))
        {
            isInternet = true;
            return true;
        }
        if (text.Equals("CH", StringComparison.OrdinalIgnoreCase) || text.Equals("CS", StringComparison.OrdinalIgnoreCase)
            || text.Equals("HS", StringComparison.OrdinalIgnoreCase) || text.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (text.Length > 5 && text.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out ushort value))
        {
            isInternet = value == 1;
            return true;
        }
        return false;
    }
}
