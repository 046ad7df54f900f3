namespace GslbDns.Tapping;

/// <summary>
/// A wire-form name as presentation text, written into a caller's buffer so the writer thread makes
/// no string per record. Escapes as <see cref="DnsName.WireToText"/> does (RFC 4343 §2.1).
/// </summary>
public static class PresentationName
{
    /// <summary>The longest text a wire name can become: every octet as \DDD, plus the dots.</summary>
    public const int MaxLength = DnsName.MaxWireLength * 4;

    public static int Write(ReadOnlySpan<byte> wire, Span<byte> text)
    {
        if (wire.Length == 0 || wire[0] == 0)
        {
            text[0] = (byte)'.';
            return 1;
        }
        int pos = 0, at = 0;
        while (pos < wire.Length && wire[pos] != 0)
        {
            int length = wire[pos];
            for (int i = 1; i <= length && pos + i < wire.Length; i++)
            {
                byte b = wire[pos + i];
                if (b is (byte)'.' or (byte)'\\' or (byte)'"' or (byte)'(' or (byte)')' or (byte)';' or (byte)'@' or (byte)'$')
                {
                    text[at++] = (byte)'\\';
                    text[at++] = b;
                }
                else if (b <= 0x20 || b >= 0x7f)
                {
                    text[at++] = (byte)'\\';
                    text[at++] = (byte)('0' + b / 100);
                    text[at++] = (byte)('0' + b / 10 % 10);
                    text[at++] = (byte)('0' + b % 10);
                }
                else
                {
                    text[at++] = b;
                }
            }
            text[at++] = (byte)'.';
            pos += length + 1;
        }
        return at;
    }
}
