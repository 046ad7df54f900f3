using System.Globalization;
using System.Net;
using System.Net.Sockets;
using GslbDns.Pipeline;

namespace GslbDns.Steering.Policy;

/// <summary>
/// An address block in the single 128-bit key space of <see cref="ClientAddress"/>: IPv4 blocks sit
/// in ::ffff:0:0/96 (RFC 4291 §2.5.5.2), so a /24 is stored with <see cref="Length"/> 120.
/// </summary>
public readonly record struct CidrBlock(UInt128 Prefix, int Length)
{
    /// <summary>True when the block lies in the IPv4-mapped range.</summary>
    public bool IsIPv4 => Length >= 96 && (Prefix >> 32) == 0xffff;

    public UInt128 Mask => MaskOf(Length);

    /// <summary>The last address in the block.</summary>
    public UInt128 Last => Prefix | ~Mask;

    public bool Contains(UInt128 address) => (address & Mask) == Prefix;

    public bool Contains(ClientAddress address) => Contains(address.Bits);

    public static UInt128 MaskOf(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    /// <summary>
    /// Parses "192.0.2.0/24" or "2001:db8::/32". The length is required and bits beyond it must be zero:
    /// "192.0.2.1/24" is almost always a typo for a host or for a different block, so it is refused.
    /// </summary>
    public static bool TryParse(string text, out CidrBlock block, out string error)
    {
        block = default;
        int slash = text.IndexOf('/');
        if (slash < 0)
        {
            error = $"'{text}' has no prefix length (write e.g. 192.0.2.0/24 or 2001:db8::/32)";
            return false;
        }
        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0))
        {
            error = $"'{text[..slash]}' is not an IP address";
            return false;
        }
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        int max = v4 ? 32 : 128;
        var lengthText = text.AsSpan(slash + 1);
        if (lengthText.Length is 0 or > 3 || lengthText.ContainsAnyExceptInRange('0', '9')
            || !int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length > max)
        {
            error = $"'{text}' has a bad prefix length (0 to {max})";
            return false;
        }
        var bits = ClientAddress.FromIPAddress(address).Bits;
        int mappedLength = v4 ? 96 + length : length;
        if ((bits & ~MaskOf(mappedLength)) != 0)
        {
            var network = new CidrBlock(bits & MaskOf(mappedLength), mappedLength);
            error = $"'{text}' has host bits set; the network is {network}";
            return false;
        }
        block = new CidrBlock(bits, mappedLength);
        error = "";
        return true;
    }

    public override string ToString()
    {
        var address = new ClientAddress(Prefix, IsIPv4);
        return IsIPv4
            ? $"{address}/{(Length - 96).ToString(CultureInfo.InvariantCulture)}"
            : $"{address.ToIPAddress()}/{Length.ToString(CultureInfo.InvariantCulture)}";
    }
}
