using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GslbDns.Steering.Geo;

/// <summary>
/// A CIDR network in the single 128-bit key space used by the look-up trees: IPv4 networks are held
/// as IPv4-mapped prefixes (::ffff:a.b.c.d/96+n), the same layout as <see cref="Pipeline.ClientAddress"/>.
/// </summary>
public readonly record struct IpPrefix
{
    public static readonly UInt128 MappedPrefix = (UInt128)0xffff << 32;

    public IpPrefix(UInt128 bits, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 128);
        Bits = bits & Mask(length);
        Length = length;
    }

    /// <summary>The network address with host bits cleared.</summary>
    public UInt128 Bits { get; }

    /// <summary>Prefix length in IPv6 bits (96 + n for IPv4 /n).</summary>
    public int Length { get; }

    /// <summary>True when the prefix lies inside ::ffff:0:0/96.</summary>
    public bool IsIPv4 => Length >= 96 && (Bits >> 32) == 0xffff;

    public static UInt128 Mask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    public bool Contains(UInt128 address) => (address & Mask(Length)) == Bits;

    public bool Contains(IpPrefix other) => other.Length >= Length && Contains(other.Bits);

    /// <summary>
    /// Parses "a.b.c.d/n" or "x::y/n". IPv4-mapped (::ffff:a.b.c.d/96+n) and IPv4-compatible
    /// (::a.b.c.d/96+n, where MaxMind DB files keep IPv4) networks are both taken as IPv4.
    /// </summary>
    public static bool TryParse(string text, out IpPrefix prefix, out string error)
    {
        prefix = default;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = $"'{text}' is not a CIDR network (missing /length)";
            return false;
        }
        var addressText = text[..slash].Trim();
        var lengthText = text[(slash + 1)..].Trim();
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%'))
        {
            error = $"'{addressText}' is not an IP address";
            return false;
        }
        var isV4 = address.AddressFamily == AddressFamily.InterNetwork;
        var max = isV4 ? 32 : 128;
        if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > max)
        {
            error = $"'{lengthText}' is not a prefix length 0-{max}";
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        UInt128 bits;
        if (isV4)
        {
            address.TryWriteBytes(bytes[..4], out _);
            bits = MappedPrefix | System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
            length += 96;
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
            bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
            if (length >= 96 && (bits >> 32) == 0)
            {
                bits |= MappedPrefix;
            }
        }
        if ((bits & ~Mask(length)) != UInt128.Zero)
        {
            error = $"'{text}' has host bits set (the network address for /{(isV4 ? length - 96 : length)} is {new IpPrefix(bits, length).AddressText()})";
            return false;
        }
        prefix = new IpPrefix(bits, length);
        error = "";
        return true;
    }

    public static IpPrefix Parse(string text) =>
        TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException(error);

    private string AddressText()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, Bits);
        return IsIPv4 ? new IPAddress(bytes[12..]).ToString() : new IPAddress(bytes).ToString();
    }

    public override string ToString() => $"{AddressText()}/{(IsIPv4 ? Length - 96 : Length)}";
}
