using GslbDns.Steering.Policy;

namespace GslbDns.Steering.Topology;

/// <summary>
/// The result of classifying a client: which rule matched and the ranking it gives. Look-up trees
/// keep only the ranking (see <see cref="GeoTreeCache"/>); the rule is for explain.
/// </summary>
/// <param name="RuleIndex">Index of the matching rule in <see cref="ServicePolicy.Rules"/>.</param>
/// <param name="Ranking">The regions in order of preference.</param>
/// <param name="LocationUnknown">
/// True when the default rule orders by distance but the client's location is unknown, so its
/// fallback ranking was used.
/// </param>
public sealed record TopologyOutcome(int RuleIndex, RegionRanking Ranking, bool LocationUnknown);
