namespace GslbDns.Protocol;

/// <summary>
/// Presentation-format names to uncompressed wire form with the letters' case kept as written, for
/// names inside RDATA: RFC 4343 §4.1 asks servers to preserve case where they can, unlike owner
/// names, which <see cref="GslbDns.Protocol.DnsName"/> folds for look-ups.
/// </summary>
public static class NameText
{
    private const int MaxWireLength = 255;
    private const int MaxLabelLength = 63;

    /// <summary>
    /// Converts <paramref name="text"/> (RFC 1035 §5.1: "@" is the origin, a name without a trailing
    /// dot is relative to the origin, "\X" and "\DDD" escape a character).
    /// </summary>
    public static bool TryToWire(ReadOnlySpan<char> text, ReadOnlySpan<byte> originWire, bool hasOrigin, out byte[] wire, out string error)
    {
        Span<byte> buffer = stackalloc byte[MaxWireLength];
        if (!TryToWire(text, originWire, hasOrigin, buffer, out int written, out error))
        {
            wire = [];
            return false;
        }
        wire = buffer[..written].ToArray();
        return true;
    }

    /// <summary>
    /// As above, into <paramref name="destination"/> (at least 255 octets), so a caller that copies the
    /// name on (into RDATA, or a name it reuses) allocates nothing here.
    /// </summary>
    public static bool TryToWire(ReadOnlySpan<char> text, ReadOnlySpan<byte> originWire, bool hasOrigin, Span<byte> destination,
        out int written, out string error)
    {
        written = 0;
        error = "";
        if (text.Length == 0)
        {
            error = "empty name";
            return false;
        }
        if (text is "@")
        {
            if (!hasOrigin)
            {
                error = "'@' used with no origin";
                return false;
            }
            originWire.CopyTo(destination);
            written = originWire.Length;
            return true;
        }
        if (text is ".")
        {
            destination[0] = 0;
            written = 1;
            return true;
        }

        Span<byte> buffer = stackalloc byte[MaxWireLength + MaxLabelLength + 2];
        int labelStart = 0, labelLength = 0, end = 0;
        bool absolute = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int value;
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    error = $"empty label in name '{text}'";
                    return false;
                }
                buffer[labelStart] = (byte)labelLength;
                end = labelStart + 1 + labelLength;
                labelStart = end;
                labelLength = 0;
                absolute = i == text.Length - 1;
                continue;
            }
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    error = $"name '{text}' ends in a lone '\\'";
                    return false;
                }
                if (char.IsAsciiDigit(text[i + 1]))
                {
                    if (i + 3 >= text.Length || !char.IsAsciiDigit(text[i + 2]) || !char.IsAsciiDigit(text[i + 3]))
                    {
                        error = $"bad \\DDD escape in name '{text}'";
                        return false;
                    }
                    value = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
                    if (value > 255)
                    {
                        error = $"escape \\{text.Slice(i + 1, 3)} is over 255 in name '{text}'";
                        return false;
                    }
                    i += 3;
                }
                else
                {
                    value = text[i + 1];
                    i++;
                }
            }
            else
            {
                value = c;
            }
            if (value > 127)
            {
                error = $"non-ASCII character in name '{text}' (use punycode or \\DDD escapes)";
                return false;
            }
            labelLength++;
            if (labelLength > MaxLabelLength)
            {
                error = $"label longer than {MaxLabelLength} octets in name '{text}'";
                return false;
            }
            if (labelStart + labelLength >= MaxWireLength)
            {
                error = $"name '{text}' is longer than {MaxWireLength} octets";
                return false;
            }
            buffer[labelStart + labelLength] = (byte)value;
        }
        if (labelLength > 0)
        {
            buffer[labelStart] = (byte)labelLength;
            end = labelStart + 1 + labelLength;
        }
        if (!absolute && !hasOrigin)
        {
            error = $"relative name '{text}' with no origin";
            return false;
        }
        int total = absolute ? end + 1 : end + originWire.Length;
        if (total > MaxWireLength)
        {
            error = $"name '{text}' is longer than {MaxWireLength} octets";
            return false;
        }
        buffer[..end].CopyTo(destination);
        if (absolute) destination[end] = 0;
        else originWire.CopyTo(destination[end..]);
        written = total;
        return true;
    }

    /// <summary>Length of the uncompressed wire name at the start of <paramref name="data"/>, or -1 if it is not one.</summary>
    public static int WireLength(ReadOnlySpan<byte> data)
    {
        int pos = 0;
        while (pos < data.Length)
        {
            int len = data[pos];
            if (len == 0) return pos + 1 > MaxWireLength ? -1 : pos + 1;
            // Compression pointers (top bits set) are not allowed in zone data (RFC 3597 §4).
            if (len > MaxLabelLength) return -1;
            pos += 1 + len;
        }
        return -1;
    }
}
