namespace GslbDns.Steering.Geo;

/// <summary>
/// Address ranges that say nothing about where a client is (RFC 6890 special-purpose registries):
/// private, shared (CGN), loopback, link-local, unspecified and unique-local. Steering treats them as
/// unknown even when a database lists them.
/// </summary>
public static class ReservedNetworks
{
    public static IReadOnlyList<IpPrefix> All { get; } =
    [
        IpPrefix.Parse("0.0.0.0/8"),       // RFC 1122 "this network"
        IpPrefix.Parse("10.0.0.0/8"),      // RFC 1918
        IpPrefix.Parse("100.64.0.0/10"),   // RFC 6598 shared address space (CGN)
        IpPrefix.Parse("127.0.0.0/8"),     // RFC 1122 loopback
        IpPrefix.Parse("169.254.0.0/16"),  // RFC 3927 link-local
        IpPrefix.Parse("172.16.0.0/12"),   // RFC 1918
        IpPrefix.Parse("192.168.0.0/16"),  // RFC 1918
        new IpPrefix(UInt128.Zero, 127),   // RFC 4291 unspecified and loopback (Parse would read ::/127 as IPv4-compatible)
        IpPrefix.Parse("fc00::/7"),        // RFC 4193 unique local
        IpPrefix.Parse("fe80::/10"),       // RFC 4291 link-local
    ];

    public static bool Contains(UInt128 address)
    {
        foreach (var network in All)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }
}
