namespace GslbDns.Steering.Policy;

/// <summary>
/// What a topology rule does for the clients it matches: a fixed ranking, or every region ordered
/// by distance from the client. Only the regions a fixed ranking lists are candidates for it.
/// </summary>
/// <param name="Ranks">The fixed ranking, when not <paramref name="Nearest"/>.</param>
/// <param name="Nearest">Order all regions by great-circle distance from the client's GeoIP location.</param>
/// <param name="Fallback">
/// For the default rule with <paramref name="Nearest"/>: the ranking for clients without a known location.
/// Null means all regions in one rank (split by weight). Match rules with <paramref name="Nearest"/>
/// do not match such clients, which fall through to later rules.
/// </param>
public sealed record RulePreference(RegionRanking? Ranks, bool Nearest, RegionRanking? Fallback)
{
    public static RulePreference Fixed(RegionRanking ranks) => new(ranks, false, null);

    public static RulePreference ByDistance(RegionRanking? fallback = null) => new(null, true, fallback);
}
