using System.Collections.Immutable;

namespace GslbDns.Steering.Policy;

/// <summary>
/// Conditions of a topology rule. Values within one key are alternatives (OR); different keys must
/// all hold (AND), so <c>{ country: [US], asn: [7922] }</c> means "that network, in the US".
/// A match with no keys is the default rule and matches every client.
/// </summary>
/// <param name="Continents">Two-letter continent codes as GeoIP databases use them: AF AN AS EU NA OC SA.</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes, upper case.</param>
/// <param name="Subdivisions">ISO 3166-2 codes, upper case, e.g. US-CA.</param>
/// <param name="Asns">Autonomous system numbers (RFC 6793: 32-bit).</param>
/// <param name="Cidrs">Address blocks in the IPv4-mapped key space.</param>
public sealed record TopologyMatch(
    ImmutableArray<string> Continents,
    ImmutableArray<string> Countries,
    ImmutableArray<string> Subdivisions,
    ImmutableArray<uint> Asns,
    ImmutableArray<IpPrefix> Cidrs)
{
    public static readonly TopologyMatch Everything = new([], [], [], [], []);

    public static readonly ImmutableArray<string> ContinentCodes = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"];

    public bool IsEverything => Continents.IsEmpty && Countries.IsEmpty && Subdivisions.IsEmpty && Asns.IsEmpty && Cidrs.IsEmpty;
}
