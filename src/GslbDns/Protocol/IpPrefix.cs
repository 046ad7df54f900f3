using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GslbDns.Pipeline;

namespace GslbDns.Protocol;

/// <summary>
/// A CIDR network in the single 128-bit key space of <see cref="ClientAddress"/> and the look-up
/// trees: IPv4 networks sit in ::ffff:0:0/96 (RFC 4291 §2.5.5.2), so an IPv4 /24 has
/// <see cref="Length"/> 120.
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

    /// <summary>The last address in the network.</summary>
    public UInt128 Last => Bits | ~Mask(Length);

    public static UInt128 Mask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    public bool Contains(UInt128 address) => (address & Mask(Length)) == Bits;

    public bool Contains(ClientAddress address) => Contains(address.Bits);

    public bool Contains(IpPrefix other) => other.Length >= Length && Contains(other.Bits);

    /// <summary>
    /// Parses "192.0.2.0/24" or "2001:db8::/32". The length is required and bits beyond it must be
    /// zero: "192.0.2.1/24" is almost always a typo for a host or for another network, so it is
    /// refused. IPv4-compatible networks (::a.b.c.d/96+n, where MaxMind DB sources keep IPv4) are
    /// taken as IPv4.
    /// </summary>
    public static bool TryParse(string text, out IpPrefix prefix, out string error)
    {
        prefix = default;
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = $"'{text}' has no prefix length (write e.g. 192.0.2.0/24 or 2001:db8::/32)";
            return false;
        }
        var addressText = text[..slash].Trim();
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%'))
        {
            error = $"'{addressText}' is not an IP address";
            return false;
        }
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        int max = v4 ? 32 : 128;
        var lengthText = text.AsSpan(slash + 1).Trim();
        if (lengthText.Length is 0 or > 3 || lengthText.ContainsAnyExceptInRange('0', '9')
            || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > max)
        {
            error = $"'{text}' has a bad prefix length (0 to {max})";
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        UInt128 bits;
        if (v4)
        {
            address.TryWriteBytes(bytes[..4], out _);
            bits = MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes);
            length += 96;
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
            bits = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            if (length >= 96 && (bits >> 32) == 0) bits |= MappedPrefix;
        }
        if ((bits & ~Mask(length)) != UInt128.Zero)
        {
            error = $"'{text}' has host bits set; the network is {new IpPrefix(bits, length)}";
            return false;
        }
        prefix = new IpPrefix(bits, length);
        error = "";
        return true;
    }

    public static IpPrefix Parse(string text) =>
        TryParse(text, out var prefix, out var error) ? prefix : throw new FormatException(error);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Bits);
        var address = IsIPv4 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
        return $"{address}/{(IsIPv4 ? Length - 96 : Length).ToString(CultureInfo.InvariantCulture)}";
    }
}
