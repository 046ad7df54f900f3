using System.Text;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Decodes the text of a character-string field (RFC 1035 §5.1): "\DDD" is the octet DDD, "\X" is X
/// itself (so "\"" and "\\" work), anything else is taken as its UTF-8 octets.
/// </summary>
internal static class CharacterStringText
{
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] octets, out string error)
    {
        var builder = new RdataBuilder();
        bool ok = TryAppend(text, builder, out error);
        octets = ok ? builder.ToArray() : [];
        return ok;
    }

    /// <summary>Appends the decoded octets to <paramref name="into"/> (nothing is taken back on failure).</summary>
    public static bool TryAppend(ReadOnlySpan<char> text, RdataBuilder into, out string error)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    error = $"'{text}' ends in a lone '\\'";
                    return false;
                }
                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        error = $"bad \\DDD escape in '{text}'";
                        return false;
                    }
                    int value = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                    if (value > 255)
                    {
                        error = $"escape \\{text.Slice(i + 1, 3)} is over 255 in '{text}'";
                        return false;
                    }
                    into.UInt8((byte)value);
                    i += 3;
                    continue;
                }
                i++;
                c = text[i];
            }
            if (c < 0x80)
            {
                into.UInt8((byte)c);
                continue;
            }
            var utf8 = into.Reserve(4);
            int length;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                length = Encoding.UTF8.GetBytes(text.Slice(i, 2), utf8);
                i++;
            }
            else
            {
                length = Encoding.UTF8.GetBytes(text.Slice(i, 1), utf8);
            }
            into.Unreserve(4 - length);
        }
        error = "";
        return true;
    }
}
