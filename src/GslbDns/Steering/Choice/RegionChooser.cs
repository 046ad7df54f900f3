using GslbDns.Steering.Policy;
using GslbDns.Steering.State;

namespace GslbDns.Steering.Choice;

/// <summary>
/// Picks the region to answer with, from a ranking (the topology outcome for the client), the
/// current region state and a key for the client's network.
/// <list type="number">
/// <item>The client's first preference: the first rank holding a usable region (not down, not
/// drained); within the rank, rendezvous (highest-random-weight) hashing of (client key, service,
/// region) picks one, each region's score scaled by its weight, so a region's share of client networks
/// is its share of the rank's weight, a network keeps its region while nothing changes, and a region
/// leaving or joining moves only the networks that region gains or loses. When every usable region of
/// the rank has a valid load report, each weight is scaled by the region's spare share (1 − load).</item>
/// <item>With <c>spill: capacity</c>, when a region of the first rank is unusable, the first preference
/// is taken from that rank as if every region were up; when it is the down or drained one, its clients
/// are spread over every other usable region of the ranking in proportion to spare capacity, so a failed region does not cascade its
/// whole load onto the next-nearest one.</item>
/// <item>Load: a region sheds the share (load − start) / (full − start) of its client networks. Which
/// ones is fixed by a second hash of (client key, service, region): a network's place in the region's
/// shed order never changes, so the same networks move first and come back last, and answers do not
/// flap between queries. A shed client goes to the next usable rank (<c>spill: next</c>; shed again
/// there if that region sheds it too) or to another usable region in proportion to spare capacity
/// (<c>spill: capacity</c>; regions at full take none). When nothing can take it, it stays on its first
/// preference: an overloaded region beats none, and load alone never makes a service all-down.</item>
/// <item>If nothing is usable the service's <see cref="AllDownPolicy"/> decides; fail-open answers as
/// if every region were up (the top rank, split by weight).</item>
/// </list>
/// <see cref="Choose"/> and <see cref="Explain(ServicePolicy, RegionRanking, IRegionStateSource, ulong, Span{RegionVerdict})"/>
/// run the same code; only Explain writes per-region verdicts. Choose allocates nothing.
/// </summary>
public static class RegionChooser
{
    /// <summary>Rankings up to this size keep their per-decision scratch on the stack (CDN-sized services have 100+ regions).</summary>
    private const int StackRegions = 512;

    /// <summary>The least a fully loaded region's weight is scaled to, so a rank split by spare share stays defined.</summary>
    private const double MinSpareShare = 0.01;

    /// <summary>Makes the shed order independent of the rendezvous order of the same network.</summary>
    private const ulong ShedSalt = 0x9E3779B97F4A7C15UL;

    private enum Candidates : byte
    {
        /// <summary>Every region, whatever its state (the first preference when everything is up).</summary>
        All,

        /// <summary>Usable regions, by weight (scaled by spare share when all of them report load).</summary>
        Usable,

        /// <summary>Usable regions not at full, by spare capacity (weight when they have no report).</summary>
        Spare,
    }

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

    /// <summary>The condition of one region: admin down and health down first, then drain.</summary>
    public static RegionCondition ConditionOf(ServicePolicy service, int region, IRegionStateSource state)
    {
        var status = state.GetRegion(service.Index, region);
        if (status.Admin == AdminRegionState.Down) return RegionCondition.AdminDown;
        if (status.Health == HealthStatus.Down) return RegionCondition.HealthDown;
        if (status.Admin == AdminRegionState.Drain) return RegionCondition.Drained;
        return RegionCondition.Live;
    }

    /// <summary>
    /// Rendezvous score of a region for a client network: weight / -ln(u) with u uniform in (0, 1)
    /// from the hash. The region with the highest score wins, and P(win) = weight / total weight
    /// (the -ln(u)/weight values are exponential variates with rate = weight).
    /// </summary>
    public static double Score(ulong clientKey, ServicePolicy service, RegionConfig region) => Score(clientKey, service, region, region.Weight);

    public static double Score(ulong clientKey, ServicePolicy service, RegionConfig region, double weight)
    {
        ulong hash = StableHash.Mix(clientKey ^ StableHash.Mix(service.Seed + region.Seed));
        double u = ((hash >> 11) + 0.5) * (1.0 / (1UL << 53));
        return weight / -Math.Log(u);
    }

    /// <summary>
    /// The client network's place in the region's shed order, uniform in [0, 1): the network is shed
    /// while the region's shed share is above it.
    /// </summary>
    public static double ShedPosition(ulong clientKey, ServicePolicy service, RegionConfig region)
    {
        ulong hash = StableHash.Mix(clientKey ^ StableHash.Mix(service.Seed + region.Seed + ShedSalt));
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>Whether the region sheds this client network at its current load.</summary>
    public static bool IsShed(ulong clientKey, ServicePolicy service, int region, in RegionStatus status) =>
        status.ShedShare > 0 && ShedPosition(clientKey, service, service.Regions[region]) < status.ShedShare;

    // RankedConditions writes a position of the scratch before it reads it: zeroing 512 bytes of
    // stack on every query bought nothing.
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static RegionChoice Decide(ServicePolicy service, RegionRanking ranking, IRegionStateSource state, ulong clientKey, Span<RegionVerdict> verdicts)
    {
        var regions = ranking.Regions;
        Span<RegionCondition> scratch = regions.Length <= StackRegions
            ? stackalloc RegionCondition[StackRegions]
            : new RegionCondition[regions.Length];
        var conditions = new RankedConditions(scratch[..regions.Length], service, ranking, state);
        if (!verdicts.IsEmpty) verdicts.Fill(RegionVerdict.NotRanked);

        var choice = service.Load.Spill == SpillMode.Capacity
            ? DecideSpillByCapacity(service, ranking, state, ref conditions, clientKey, verdicts)
            : DecideSpillNext(service, ranking, state, ref conditions, clientKey, verdicts);
        if (choice.Kind == ChoiceKind.Region && choice.Rank < 0)
        {
            choice = service.AllDown switch
            {
                AllDownPolicy.ServFail => RegionChoice.ServFail,
                AllDownPolicy.NoData => RegionChoice.NoData,
                _ => FailOpen(service, ranking, state, ref conditions, clientKey),
            };
        }
        if (!verdicts.IsEmpty) WriteVerdicts(service, ranking, conditions.UpTo(regions.Length), choice, verdicts);
        return choice;
    }

    /// <summary>First preference from the first usable rank; a shed client walks on to later ranks.</summary>
    private static RegionChoice DecideSpillNext(ServicePolicy service, RegionRanking ranking, IRegionStateSource state,
        ref RankedConditions conditions, ulong clientKey, Span<RegionVerdict> verdicts)
    {
        KeyUse depends = KeyUse.None;
        int primary = -1, primaryRank = -1;
        for (int rank = 0; rank < ranking.RankCount && primary < 0; rank++)
        {
            primary = Pick(service, ranking, state, ref conditions, rank, Candidates.Usable, -1, clientKey, ref depends);
            primaryRank = rank;
        }
        if (primary < 0) return NoneUsable;

        var regions = ranking.Regions;
        if (!Sheds(service, state, regions[primary], clientKey, ref depends)) return Chosen(ranking, primary, depends);
        if (!verdicts.IsEmpty) verdicts[regions[primary]] = RegionVerdict.Shed;
        for (int rank = primaryRank + 1; rank < ranking.RankCount; rank++)
        {
            int taker = Pick(service, ranking, state, ref conditions, rank, Candidates.Usable, -1, clientKey, ref depends);
            if (taker < 0) continue;
            if (Sheds(service, state, regions[taker], clientKey, ref depends))
            {
                if (!verdicts.IsEmpty) verdicts[regions[taker]] = RegionVerdict.Shed;
                continue;
            }
            return Chosen(ranking, taker, depends) with { ShedFrom = regions[primary] };
        }
        return Chosen(ranking, primary, depends) with { Overloaded = true };
    }

    /// <summary>First preference as if everything were up; its clients, when it is unusable or sheds them, go by spare capacity.</summary>
    private static RegionChoice DecideSpillByCapacity(ServicePolicy service, RegionRanking ranking, IRegionStateSource state,
        ref RankedConditions conditions, ulong clientKey, Span<RegionVerdict> verdicts)
    {
        KeyUse depends = KeyUse.None;
        var regions = ranking.Regions;
        // With the whole first rank usable this is the plain split (by spare share when all report);
        // otherwise the split as if all were up, so a down region's own clients are the ones that spread.
        var firstRank = conditions.UpTo(ranking.RankEnd(0));
        var which = firstRank.IndexOfAnyExcept(RegionCondition.Live) < 0 ? Candidates.Usable : Candidates.All;
        int nominal = Pick(service, ranking, state, ref conditions, 0, which, -1, clientKey, ref depends);
        if (conditions[nominal] != RegionCondition.Live)
        {
            int taker = Pick(service, ranking, state, ref conditions, -1, Candidates.Spare, nominal, clientKey, ref depends);
            // Every other usable region at full: an overloaded region beats none.
            if (taker < 0) taker = Pick(service, ranking, state, ref conditions, -1, Candidates.Usable, nominal, clientKey, ref depends);
            if (taker < 0) return NoneUsable;
            // The taker was picked by its spare capacity: its own shedding is already counted there.
            return Chosen(ranking, taker, depends) with { Spilled = true };
        }
        if (!Sheds(service, state, regions[nominal], clientKey, ref depends)) return Chosen(ranking, nominal, depends);
        if (!verdicts.IsEmpty) verdicts[regions[nominal]] = RegionVerdict.Shed;
        int spill = Pick(service, ranking, state, ref conditions, -1, Candidates.Spare, nominal, clientKey, ref depends);
        return spill < 0
            ? Chosen(ranking, nominal, depends) with { Overloaded = true }
            : Chosen(ranking, spill, depends) with { ShedFrom = regions[nominal] };
    }

    private static RegionChoice NoneUsable => new(ChoiceKind.Region, -1, -1, false, false, false);

    private static RegionChoice Chosen(RegionRanking ranking, int position, KeyUse depends) =>
        new(ChoiceKind.Region, ranking.Regions[position], ranking.RankOf(position), depends != KeyUse.None, false, false)
        {
            Split = (depends & KeyUse.Split) != 0,
        };

    /// <summary>What the client key's hash decided on the way to a choice.</summary>
    [Flags]
    private enum KeyUse : byte
    {
        None = 0,

        /// <summary>A weighted split among several usable regions.</summary>
        Split = 1,

        /// <summary>Whether a shedding region keeps or sheds this client.</summary>
        Shed = 2,
    }

    private static RegionChoice FailOpen(ServicePolicy service, RegionRanking ranking, IRegionStateSource state,
        ref RankedConditions conditions, ulong clientKey)
    {
        KeyUse depends = KeyUse.None;
        int position = Pick(service, ranking, state, ref conditions, 0, Candidates.All, -1, clientKey, ref depends);
        return Chosen(ranking, position, depends) with { FailedOpen = true };
    }

    /// <summary>Whether <paramref name="region"/> sheds this client; a partial shed makes the answer depend on the client network.</summary>
    private static bool Sheds(ServicePolicy service, IRegionStateSource state, int region, ulong clientKey, ref KeyUse depends)
    {
        var status = state.GetRegion(service.Index, region);
        if (status.ShedShare <= 0) return false;
        if (status.ShedShare < 1) depends |= KeyUse.Shed;
        return IsShed(clientKey, service, region, status);
    }

    /// <summary>
    /// The position (in the ranking) of the candidate with the highest rendezvous score, among rank
    /// <paramref name="rank"/> or the whole ranking (-1), leaving out <paramref name="excluded"/>; -1 when
    /// there is none. A choice among several makes the answer depend on the client network.
    /// </summary>
    private static int Pick(ServicePolicy service, RegionRanking ranking, IRegionStateSource state, ref RankedConditions conditions,
        int rank, Candidates which, int excluded, ulong clientKey, ref KeyUse depends)
    {
        var regions = ranking.Regions;
        int start = rank < 0 ? 0 : ranking.RankStart(rank);
        int end = rank < 0 ? regions.Length : ranking.RankEnd(rank);
        bool bySpareShare = which == Candidates.Usable && EveryUsableReports(service, regions, state, ref conditions, start, end, excluded);
        int best = -1, count = 0;
        double bestScore = double.NegativeInfinity;
        // A lone candidate wins whatever its score: the score (two hashes and a logarithm) is only
        // worked out once a second candidate has to be weighed against it. Most ranks of a topology
        // hold one region, so most queries never compute one.
        int lone = -1;
        double loneWeight = 0;
        for (int p = start; p < end; p++)
        {
            if (p == excluded || (which != Candidates.All && conditions[p] != RegionCondition.Live)) continue;
            var config = service.Regions[regions[p]];
            double weight = config.Weight;
            if (which != Candidates.All)
            {
                var status = state.GetRegion(service.Index, regions[p]);
                if (which == Candidates.Spare)
                {
                    if (status.ShedShare >= 1) continue;
                    weight = double.IsNaN(status.Spare) ? config.Weight : status.Spare;
                    if (weight <= 0) continue;
                }
                else if (bySpareShare)
                {
                    weight *= Math.Max(1 - status.Load, MinSpareShare);
                }
            }
            count++;
            if (count == 1)
            {
                lone = p;
                loneWeight = weight;
                continue;
            }
            if (count == 2) Weigh(lone, Score(clientKey, service, service.Regions[regions[lone]], loneWeight), ref best, ref bestScore);
            Weigh(p, Score(clientKey, service, config, weight), ref best, ref bestScore);
        }
        if (count > 1) depends |= KeyUse.Split;
        // Alone, it is chosen when its score would beat -infinity: weight / -ln(u) with -ln(u) > 0
        // does for every weight above -infinity (weights are positive; NaN never wins).
        else if (count == 1 && loneWeight > double.NegativeInfinity) best = lone;
        return best;
    }

    private static void Weigh(int position, double score, ref int best, ref double bestScore)
    {
        if (score > bestScore)
        {
            best = position;
            bestScore = score;
        }
    }

    private static bool EveryUsableReports(ServicePolicy service, ReadOnlySpan<int> regions, IRegionStateSource state,
        ref RankedConditions conditions, int start, int end, int excluded)
    {
        int usable = 0;
        for (int p = start; p < end; p++)
        {
            if (p == excluded || conditions[p] != RegionCondition.Live) continue;
            if (!state.GetRegion(service.Index, regions[p]).HasLoad) return false;
            usable++;
        }
        return usable > 1;
    }

    private static void WriteVerdicts(ServicePolicy service, RegionRanking ranking, ReadOnlySpan<RegionCondition> conditions,
        RegionChoice choice, Span<RegionVerdict> verdicts)
    {
        var regions = ranking.Regions;
        // Spill by capacity weighs every usable region of the ranking; otherwise the ranks up to the chosen one.
        bool spreadOverAll = service.Load.Spill == SpillMode.Capacity && (choice.Spilled || choice.IsShed);
        for (int p = 0; p < regions.Length; p++)
        {
            int region = regions[p];
            if (region == choice.Region)
            {
                verdicts[region] = RegionVerdict.Chosen;
                continue;
            }
            if (verdicts[region] == RegionVerdict.Shed) continue;
            verdicts[region] = conditions[p] switch
            {
                RegionCondition.Drained => RegionVerdict.Drained,
                RegionCondition.AdminDown => RegionVerdict.AdminDown,
                RegionCondition.HealthDown => RegionVerdict.HealthDown,
                _ when spreadOverAll || ranking.RankOf(p) <= choice.Rank => RegionVerdict.Outweighed,
                _ => RegionVerdict.LowerRank,
            };
        }
    }
}
