using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Strict address parsing for A and AAAA RDATA: IPAddress.TryParse alone also takes forms a master
/// file must not hold ("10.1" for 10.0.0.1, scope ids, brackets).
/// </summary>
internal static class AddressText
{
    /// <summary>Dotted-decimal with exactly four parts, each 0..255 (RFC 1035 §3.4.1).</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, Span<byte> octets)
    {
        for (int i = 0; i < 4; i++)
        {
            int dot = text.IndexOf('.');
            if ((dot < 0) != (i == 3)) return false;
            var part = dot < 0 ? text : text[..dot];
            if (part.Length is 0 or > 3
                || !byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out octets[i]))
            {
                return false;
            }
            if (dot >= 0) text = text[(dot + 1)..];
        }
        return true;
    }

    /// <summary>RFC 4291 §2.2 text form, without zone index or brackets.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> text, Span<byte> octets)
    {
        if (text.IndexOfAny(['%', '[', ']', '/']) >= 0 || !text.Contains(':')) return false;
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        return address.TryWriteBytes(octets, out int written) && written == 16;
    }
}
