namespace GslbDns.Steering.Choice;

/// <summary>The outcome of one steering decision.</summary>
/// <param name="Kind">Whether to answer with a region, SERVFAIL or NODATA.</param>
/// <param name="Region">Index of the chosen region in the service's regions; -1 unless <paramref name="Kind"/> is Region.</param>
/// <param name="Rank">Index of the rank the region was taken from; -1 when none.</param>
/// <param name="DependsOnClientKey">
/// Several regions were candidates and the client key's hash picked one, so the answer holds only
/// for the client's network: an ECS response must carry that network's scope, not a wider one.
/// </param>
/// <param name="FailedOpen">No region was live; the answer is the one the all-down policy fail-open gives (worth logging).</param>
/// <param name="Overloaded">The chosen region is shedding load but nothing better was live.</param>
public readonly record struct RegionChoice(
    ChoiceKind Kind,
    int Region,
    int Rank,
    bool DependsOnClientKey,
    bool FailedOpen,
    bool Overloaded)
{
    public static RegionChoice ServFail => new(ChoiceKind.ServFail, -1, -1, false, false, false);

    public static RegionChoice NoData => new(ChoiceKind.NoData, -1, -1, false, false, false);
}
