using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace GslbDns.Listening;

/// <summary>The unicast addresses assigned to this machine's interfaces, used to expand a wildcard UDP endpoint.</summary>
internal static class LocalAddresses
{
    /// <summary>
    /// Every local unicast address of <paramref name="family"/>. IPv6 link-local addresses are left
    /// out: they are only meaningful with a scope and are not where an authoritative server is queried.
    /// </summary>
    public static IReadOnlyList<IPAddress> Unicast(AddressFamily family)
    {
        var addresses = new List<IPAddress>();
        foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (address.AddressFamily != family || address.IsIPv6LinkLocal || addresses.Contains(address))
                {
                    continue;
                }
                addresses.Add(address);
            }
        }
        return addresses;
    }

    public static bool IsWildcard(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);
}
