using System.Globalization;

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

    /// <summary>
    /// RFC 4291 §2.2 text form, without zone index or brackets: eight groups of one to four hex
    /// digits, one "::" standing for one or more zero groups, and optionally a dotted IPv4 address
    /// as the last 32 bits. Parsed here rather than with IPAddress.TryParse, which makes an object
    /// and an array per address: garbage in the middle of a reload of a zone of many AAAA records.
    /// </summary>
    public static bool TryParseIPv6(ReadOnlySpan<char> text, Span<byte> octets)
    {
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0, gap = -1, i = 0;
        if (text.StartsWith("::"))
        {
            gap = 0;
            i = 2;
            if (text.Length == 2) return Write(groups, 0, 0, octets);
        }
        else if (text.Length > 0 && text[0] == ':')
        {
            return false;
        }
        while (true)
        {
            if (count == 8) return false;
            int end = i;
            int value = 0;
            while (end < text.Length && end - i < 5 && char.IsAsciiHexDigit(text[end]))
            {
                value = value << 4 | HexValue(text[end]);
                end++;
            }
            if (end < text.Length && text[end] == '.')
            {
                // The dotted tail: the last two groups, and nothing after it.
                if (count > 6 || !TryParseIPv4(text[i..], octets[12..])) return false;
                groups[count++] = (ushort)(octets[12] << 8 | octets[13]);
                groups[count++] = (ushort)(octets[14] << 8 | octets[15]);
                return Write(groups, count, gap, octets);
            }
            if (end == i || end - i > 4) return false;
            groups[count++] = (ushort)value;
            if (end == text.Length) return Write(groups, count, gap, octets);
            if (text[end] != ':') return false;
            i = end + 1;
            if (i < text.Length && text[i] == ':')
            {
                if (gap >= 0) return false;
                gap = count;
                i++;
                if (i == text.Length) return Write(groups, count, gap, octets);
            }
            else if (i == text.Length)
            {
                return false;
            }
        }
    }

    /// <summary>The groups into octets, zeros standing where "::" was; false when they do not make eight.</summary>
    private static bool Write(ReadOnlySpan<ushort> groups, int count, int gap, Span<byte> octets)
    {
        // "::" stands for at least one group (RFC 5952 §4.2.2 says to write it so; RFC 4291 reads it so).
        if (gap < 0 ? count != 8 : count > 7) return false;
        int zeros = 8 - count;
        octets[..16].Clear();
        for (int g = 0, at = 0; g < count; g++, at++)
        {
            if (g == gap) at += zeros;
            octets[2 * at] = (byte)(groups[g] >> 8);
            octets[2 * at + 1] = (byte)groups[g];
        }
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
