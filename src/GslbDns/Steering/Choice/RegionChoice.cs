namespace GslbDns.Steering.Choice;

/// <summary>The outcome of one steering decision.</summary>
/// <param name="Kind">Whether to answer with a region, SERVFAIL or NODATA.</param>
/// <param name="Region">Index of the chosen region in the service's regions; -1 unless <paramref name="Kind"/> is Region.</param>
/// <param name="Rank">Index of the rank the region was taken from; -1 when none.</param>
/// <param name="DependsOnClientKey">
/// The client key's hash decided (a weighted split, or a region shedding part of its clients), so the
/// answer holds only for the client's network: an ECS response must carry that network's scope, not a wider one.
/// </param>
/// <param name="FailedOpen">No region was live; the answer is the one the all-down policy fail-open gives (worth logging).</param>
/// <param name="Overloaded">The chosen region sheds this client, but no region could take it (an overloaded region beats none).</param>
/// <param name="ShedFrom">The region that shed this client because of its load (-1 when none): the answer is a spill.</param>
/// <param name="Spilled">The client's first preference is down or drained and spill by capacity spread its clients.</param>
public readonly record struct RegionChoice(
    ChoiceKind Kind,
    int Region,
    int Rank,
    bool DependsOnClientKey,
    bool FailedOpen,
    bool Overloaded,
    int ShedFrom = -1,
    bool Spilled = false)
{
    public static RegionChoice ServFail => new(ChoiceKind.ServFail, -1, -1, false, false, false);

    public static RegionChoice NoData => new(ChoiceKind.NoData, -1, -1, false, false, false);

    /// <summary>A weighted split among several usable regions of one rank chose the region (not only a shed decision).</summary>
    public bool Split { get; init; }

    /// <summary>Load moved this client off the region it would otherwise get.</summary>
    public bool IsShed => ShedFrom >= 0;
}
