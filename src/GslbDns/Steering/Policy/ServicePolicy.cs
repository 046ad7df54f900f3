using System.Collections.Immutable;
using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>Steering for one name of the zone.</summary>
/// <param name="Index">Position in <see cref="PolicyDocument.Services"/>; state sources are indexed by it.</param>
/// <param name="Name">The steered name (absolute), at or below the zone origin.</param>
/// <param name="Ttl">TTL of the alias and address answers (RFC 2181 §8: 0 to 2^31-1).</param>
/// <param name="Rules">Topology rules, first match wins; the last one is always the default.</param>
public sealed record ServicePolicy(
    int Index,
    DnsName Name,
    ServiceMode Mode,
    uint Ttl,
    AllDownPolicy AllDown,
    LoadPolicy Load,
    ImmutableArray<RegionConfig> Regions,
    ImmutableArray<TopologyRule> Rules,
    SourceLocation Source)
{
    /// <summary>
    /// TTL of steered answers while a region of the service is down or changed state within the last
    /// fall × interval, so resolvers come back soon after a failover; at most <see cref="Ttl"/>.
    /// </summary>
    public uint TtlUnhealthy { get; init; } = Math.Min(PolicyParser.DefaultTtlUnhealthy, Ttl);

    /// <summary>Seed for rendezvous hashing, so two services split the same client differently.</summary>
    public ulong Seed { get; } = StableHash.Of(Name.ToString());

    /// <summary>Index of the region called <paramref name="name"/>, or -1.</summary>
    public int RegionIndex(string name)
    {
        for (int i = 0; i < Regions.Length; i++)
        {
            if (string.Equals(Regions[i].Name, name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
}
