using GslbDns.Pipeline;
using GslbDns.Steering.Policy;

namespace GslbDns.Steering.Choice;

/// <summary>
/// The 64-bit key a weighted split hashes: the client's network rather than its address, so every
/// host behind one resolver or one ECS prefix lands on the same region, and an ECS answer can be
/// scoped to that network (RFC 7871 §7.2.1: SCOPE PREFIX-LENGTH).
/// </summary>
public static class ClientNetworkKey
{
    /// <summary>IPv4 networks are keyed by their /24, the longest prefix RFC 7871 §11.1 recommends sending.</summary>
    public const int IPv4PrefixLength = 24;

    /// <summary>IPv6 networks are keyed by their /56, as RFC 7871 §11.1 recommends.</summary>
    public const int IPv6PrefixLength = 56;

    public static ulong Of(ClientAddress address)
    {
        int length = address.IsIPv4 ? 96 + IPv4PrefixLength : IPv6PrefixLength;
        return Of(address.Bits, length);
    }

    /// <summary>Key of the network <paramref name="bits"/>/<paramref name="length"/> (length in the 128-bit space).</summary>
    public static ulong Of(UInt128 bits, int length)
    {
        var network = bits & IpPrefix.Mask(length);
        return StableHash.Mix((ulong)(network >> 64) ^ StableHash.Mix((ulong)network ^ (ulong)length));
    }

    /// <summary>The ECS scope prefix length that matches the key: a choice made from the key holds for that whole network.</summary>
    public static byte ScopeFor(ClientAddress address) => address.IsIPv4 ? (byte)IPv4PrefixLength : (byte)IPv6PrefixLength;
}
