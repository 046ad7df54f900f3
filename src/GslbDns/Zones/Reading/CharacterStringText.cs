using System.Text;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Decodes the text of a character-string field (RFC 1035 §5.1): "\DDD" is the octet DDD, "\X" is X
/// itself (so "\"" and "\\" work), anything else is taken as its UTF-8 octets.
/// </summary>
internal static class CharacterStringText
{
    public static bool TryDecode(string text, out byte[] octets, out string error)
    {
        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    octets = [];
                    error = $"'{text}' ends in a lone '\\'";
                    return false;
                }
                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        octets = [];
                        error = $"bad \\DDD escape in '{text}'";
                        return false;
                    }
                    int value = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                    if (value > 255)
                    {
                        octets = [];
                        error = $"escape \\{text.Substring(i + 1, 3)} is over 255 in '{text}'";
                        return false;
                    }
                    bytes.Add((byte)value);
                    i += 3;
                    continue;
                }
                i++;
                c = text[i];
            }
            if (c < 0x80)
            {
                bytes.Add((byte)c);
                continue;
            }
            int length;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                length = Encoding.UTF8.GetBytes(text.AsSpan(i, 2), utf8);
                i++;
            }
            else
            {
                length = Encoding.UTF8.GetBytes(text.AsSpan(i, 1), utf8);
            }
            for (int k = 0; k < length; k++) bytes.Add(utf8[k]);
        }
        octets = bytes.ToArray();
        error = "";
        return true;
    }
}
