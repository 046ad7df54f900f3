using GslbDns.Steering.Policy;

namespace GslbDns.Steering.Topology;

/// <summary>
/// What GeoIP knows about a client network, in the form topology rules are matched against.
/// Any field may be unknown (null, or 0 for <see cref="Asn"/>); a rule on an unknown field does not match.
/// </summary>
/// <param name="Continent">Two-letter continent code (AF AN AS EU NA OC SA).</param>
/// <param name="Country">ISO 3166-1 alpha-2 country code.</param>
/// <param name="Subdivision1">
/// First-level subdivision as GeoIP databases store it: the part after the hyphen of the ISO 3166-2
/// code ("CA" for US-CA). The full form "US-CA" is accepted too.
/// </param>
/// <param name="Subdivision2">Second-level subdivision, same form as <paramref name="Subdivision1"/>.</param>
/// <param name="Asn">Autonomous system number; 0 when unknown (AS 0 is reserved, RFC 7607).</param>
/// <param name="Point">Approximate location of the network.</param>
public readonly record struct ClientLocation(
    string? Continent,
    string? Country,
    string? Subdivision1,
    string? Subdivision2,
    uint Asn,
    GeoPoint? Point)
{
    public static readonly ClientLocation Unknown = default;
}
