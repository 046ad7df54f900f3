using System.Net;
using GslbDns.Steering.State;

namespace GslbDns.Health;

/// <summary>
/// What makes a running check the same check across reloads: the service and region names, the
/// endpoint probed and every key of its definition. Positions in a policy document are not part of
/// it, so a reload that leaves a check alone keeps its verdict and its schedule.
/// </summary>
public readonly record struct HealthCheckKey(DnsName Service, string Region, IPEndPoint Endpoint, string Definition);

/// <summary>
/// One check the policies ask for: an endpoint, its definition, and the addresses of the region's
/// target whose health it decides (one, or all of the region's when <c>health.address</c> is set).
/// </summary>
public sealed record HealthCheck(HealthCheckKey Key, HealthCheckSpec Spec, IReadOnlyList<AddressKey> Addresses)
{
    public string ServiceName => Key.Service.ToString().TrimEnd('.');
}
