using GslbDns.Configuration;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using System.Net;
using GslbDns.Api;
using GslbDns.Steering.State;

namespace GslbDns.Commands;

/// <summary>
/// The health verdicts explain uses: those of a running server (<c>--server</c>, read from its
/// <c>GET /api/v1/health</c>), or those the checks start with.
/// </summary>
public static class ServerHealth
{
    public static HealthDocument? Fetch(Uri server, out string error) =>
        ApiClient.GetJson(server, "/api/v1/health", ApiJsonContext.Default.HealthDocument, "health", out error);

    /// <summary>Puts the server's verdicts into <paramref name="state"/>, by service, region and address name.</summary>
    public static void Apply(HealthDocument document, RegionStateStore state)
    {
        var verdicts = new List<(AddressKey, HealthStatus)>();
        foreach (var service in document.Services)
        {
            if (!DnsName.TryParse(service.Service.TrimEnd('.') + ".", null, out var name, out _)) continue;
            foreach (var region in service.Regions)
            {
                foreach (var address in region.Addresses)
                {
                    if (!IPAddress.TryParse(address.Address, out var ip) || !Enum.TryParse<HealthStatus>(address.Verdict, true, out var verdict)) continue;
                    verdicts.Add((new AddressKey(name, region.Region, AddressFilter.AddressOf(ip.GetAddressBytes())), verdict));
                }
            }
        }
        state.SetHealth(verdicts, TimeSpan.Zero);
    }
}
