using GslbDns.Steering.Policy;
using GslbDns.Steering.State;

namespace GslbDns.Steering.Choice;

/// <summary>
/// Picks the region to answer with, from a ranking (the topology outcome for the client), the
/// current region state and a key for the client's network.
/// <list type="number">
/// <item>Walk the ranks in order; the first rank holding a live region decides.</item>
/// <item>Within that rank, when several regions are live, rendezvous (highest-random-weight) hashing of
/// (client key, service, region) picks one, with each region's score scaled by its weight, so a region's
/// share of client networks is its share of the rank's weight, a network keeps its region while nothing
/// changes, and a region leaving or joining moves only the networks that region gains or loses.</item>
/// <item>Regions over a load threshold are passed over; if no region in the ranking is live otherwise,
/// the walk is repeated allowing them, since an overloaded region beats no answer.</item>
/// <item>If nothing is live the service's <see cref="AllDownPolicy"/> decides; fail-open answers as if every
/// region were up (the top rank, split by weight).</item>
/// </list>
/// <see cref="Choose"/> and <see cref="Explain(ServicePolicy, RegionRanking, IRegionStateSource, ulong, Span{RegionVerdict})"/>
/// run the same code; only Explain writes per-region verdicts. Choose allocates nothing.
/// </summary>
public static class RegionChooser
{
    private const int StackRegions = 64;

    public static RegionChoice Choose(ServicePolicy service, RegionRanking ranking, IRegionStateSource state, ulong clientKey) =>
        Decide(service, ranking, state, clientKey, []);

    /// <summary>Decides as <see cref="Choose"/> does and writes why each region was or was not chosen into <paramref name="verdicts"/> (indexed by region).</summary>
    public static RegionChoice Explain(ServicePolicy service, RegionRanking ranking, IRegionStateSource state, ulong clientKey, Span<RegionVerdict> verdicts)
    {
        if (verdicts.Length < service.Regions.Length)
        {
            throw new ArgumentException($"needs room for {service.Regions.Length} verdicts", nameof(verdicts));
        }
        return Decide(service, ranking, state, clientKey, verdicts[..service.Regions.Length]);
    }

    public static (RegionChoice Choice, RegionVerdict[] Verdicts) Explain(ServicePolicy service, RegionRanking ranking, IRegionStateSource state, ulong clientKey)
    {
        var verdicts = new RegionVerdict[service.Regions.Length];
        var choice = Explain(service, ranking, state, clientKey, verdicts);
        return (choice, verdicts);
    }

    /// <summary>The condition of one region: admin down and health down first, then drain, then load.</summary>
    public static RegionCondition ConditionOf(ServicePolicy service, int region, IRegionStateSource state)
    {
        var status = state.GetRegion(service.Index, region);
        if (status.Admin == AdminRegionState.Down) return RegionCondition.AdminDown;
        if (status.Health == HealthStatus.Down) return RegionCondition.HealthDown;
        if (status.Admin == AdminRegionState.Drain) return RegionCondition.Drained;
        if (status.Load is { } load && IsOverloaded(load, service.Shed, service.Regions[region].Capacity)) return RegionCondition.Shedding;
        return RegionCondition.Live;
    }

    /// <summary>
    /// At or over the CPU or memory threshold, or at its connection capacity (the report's own capacity,
    /// else the policy's).
    /// </summary>
    public static bool IsOverloaded(in LoadReport load, LoadThresholds thresholds, long? configuredCapacity)
    {
        if (load.CpuPercent >= thresholds.CpuPercent || load.MemoryPercent >= thresholds.MemoryPercent) return true;
        long capacity = load.Capacity > 0 ? load.Capacity : configuredCapacity ?? 0;
        return capacity > 0 && load.Connections >= capacity;
    }

    /// <summary>
    /// Rendezvous score of a region for a client network: weight / -ln(u) with u uniform in (0, 1)
    /// from the hash. The region with the highest score wins, and P(win) = weight / total weight
    /// (the -ln(u)/weight values are exponential variates with rate = weight).
    /// </summary>
    public static double Score(ulong clientKey, ServicePolicy service, RegionConfig region)
    {
        ulong hash = StableHash.Mix(clientKey ^ StableHash.Mix(service.Seed + region.Seed));
        double u = ((hash >> 11) + 0.5) * (1.0 / (1UL << 53));
        return region.Weight / -Math.Log(u);
    }

    private static RegionChoice Decide(ServicePolicy service, RegionRanking ranking, IRegionStateSource state, ulong clientKey, Span<RegionVerdict> verdicts)
    {
        var regions = ranking.Regions;
        Span<RegionCondition> conditions = regions.Length <= StackRegions
            ? stackalloc RegionCondition[StackRegions]
            : new RegionCondition[regions.Length];
        conditions = conditions[..regions.Length];
        bool anyShedding = false;
        for (int i = 0; i < regions.Length; i++)
        {
            conditions[i] = ConditionOf(service, regions[i], state);
            anyShedding |= conditions[i] == RegionCondition.Shedding;
        }

        if (!TryPick(service, ranking, conditions, RegionCondition.Live, clientKey, out var choice))
        {
            if (anyShedding && TryPick(service, ranking, conditions, RegionCondition.Shedding, clientKey, out choice))
            {
                choice = choice with { Overloaded = true };
            }
            else
            {
                choice = service.AllDown switch
                {
                    AllDownPolicy.ServFail => RegionChoice.ServFail,
                    AllDownPolicy.NoData => RegionChoice.NoData,
                    _ => PickFirstRank(service, ranking, clientKey) with { FailedOpen = true },
                };
            }
        }

        if (!verdicts.IsEmpty) WriteVerdicts(ranking, conditions, choice, verdicts);
        return choice;
    }

    /// <summary>The first rank holding a region in condition <paramref name="wanted"/>, split by weight within it.</summary>
    private static bool TryPick(ServicePolicy service, RegionRanking ranking, ReadOnlySpan<RegionCondition> conditions,
        RegionCondition wanted, ulong clientKey, out RegionChoice choice)
    {
        int position = 0;
        for (int rank = 0; rank < ranking.RankCount; rank++)
        {
            var members = ranking.Rank(rank);
            var memberConditions = conditions.Slice(position, members.Length);
            position += members.Length;
            int count = memberConditions.Count(wanted);
            if (count == 0) continue;
            int region = count == 1
                ? members[memberConditions.IndexOf(wanted)]
                : Heaviest(service, members, memberConditions, wanted, clientKey);
            choice = new RegionChoice(ChoiceKind.Region, region, rank, count > 1, false, false);
            return true;
        }
        choice = default;
        return false;
    }

    private static RegionChoice PickFirstRank(ServicePolicy service, RegionRanking ranking, ulong clientKey)
    {
        var members = ranking.Rank(0);
        if (members.Length == 1) return new RegionChoice(ChoiceKind.Region, members[0], 0, false, false, false);
        return new RegionChoice(ChoiceKind.Region, Heaviest(service, members, default, null, clientKey), 0, true, false, false);
    }

    /// <summary>The member with the highest rendezvous score among those in <paramref name="wanted"/> condition (all when null).</summary>
    private static int Heaviest(ServicePolicy service, ReadOnlySpan<int> members, ReadOnlySpan<RegionCondition> conditions,
        RegionCondition? wanted, ulong clientKey)
    {
        int best = -1;
        double bestScore = double.NegativeInfinity;
        for (int i = 0; i < members.Length; i++)
        {
            if (wanted is { } w && conditions[i] != w) continue;
            double score = Score(clientKey, service, service.Regions[members[i]]);
            if (score > bestScore)
            {
                best = members[i];
                bestScore = score;
            }
        }
        return best;
    }

    private static void WriteVerdicts(RegionRanking ranking, ReadOnlySpan<RegionCondition> conditions, RegionChoice choice, Span<RegionVerdict> verdicts)
    {
        verdicts.Fill(RegionVerdict.NotRanked);
        var usable = choice.Overloaded ? RegionCondition.Shedding : RegionCondition.Live;
        int position = 0;
        for (int rank = 0; rank < ranking.RankCount; rank++)
        {
            var members = ranking.Rank(rank);
            for (int i = 0; i < members.Length; i++)
            {
                var condition = conditions[position + i];
                verdicts[members[i]] = members[i] == choice.Region ? RegionVerdict.Chosen
                    : condition == usable && rank == choice.Rank ? RegionVerdict.OutweighedInRank
                    : condition == usable ? RegionVerdict.LowerRank
                    : condition switch
                    {
                        RegionCondition.Shedding => RegionVerdict.Shedding,
                        RegionCondition.Drained => RegionVerdict.Drained,
                        RegionCondition.AdminDown => RegionVerdict.AdminDown,
                        RegionCondition.HealthDown => RegionVerdict.HealthDown,
                        _ => RegionVerdict.LowerRank,
                    };
            }
            position += members.Length;
        }
    }
}
