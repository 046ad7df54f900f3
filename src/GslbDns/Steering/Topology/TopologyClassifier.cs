using System.Collections.Immutable;
using GslbDns.Pipeline;
using GslbDns.Steering.Policy;

namespace GslbDns.Steering.Topology;

/// <summary>
/// Applies a service's topology rules to a client: the first rule that matches gives the ranking.
/// Meant to run when a GeoIP look-up tree is compiled (once per address range), not per query;
/// the tree stores the interned outcome number and the query path only indexes an array.
/// </summary>
public sealed class TopologyClassifier
{
    private readonly CompiledMatch[] _matches;
    private readonly TopologyOutcome?[] _fixedOutcomes;

    public TopologyClassifier(ServicePolicy service)
    {
        Service = service;
        var rules = service.Rules;
        if (rules.IsEmpty || !rules[^1].IsDefault)
        {
            throw new ArgumentException($"service {service.Name} has no default rule at the end of its topology", nameof(service));
        }
        _matches = rules.Select(r => new CompiledMatch(r.Match)).ToArray();
        _fixedOutcomes = rules.Select((r, i) => r.Preference.Ranks is { } ranks ? new TopologyOutcome(i, ranks, false) : null).ToArray();
        Cidrs = rules.SelectMany(r => r.Match.Cidrs).Distinct().OrderBy(c => c.Bits).ThenBy(c => c.Length).ToImmutableArray();
        DistanceFallback = rules[^1].Preference.Fallback ?? RegionRanking.Single(Enumerable.Range(0, service.Regions.Length).ToArray());
    }

    public ServicePolicy Service { get; }

    /// <summary>
    /// Every address block any rule names, in the IPv4-mapped key space, ordered by prefix; a tree
    /// splits its ranges on these so each range is wholly inside or outside each block.
    /// </summary>
    public ImmutableArray<IpPrefix> Cidrs { get; }

    /// <summary>Ranking used by a distance-ordered default rule when the client's location is unknown.</summary>
    public RegionRanking DistanceFallback { get; }

    /// <summary>
    /// The first rule matching the client and its ranking. A distance-ordered match rule does not
    /// match a client whose location is unknown; a distance-ordered default then uses <see cref="DistanceFallback"/>.
    /// </summary>
    public TopologyOutcome Classify(in ClientLocation location, ClientAddress address)
    {
        for (int i = 0; i < _matches.Length; i++)
        {
            if (!_matches[i].Matches(location, address)) continue;
            if (_fixedOutcomes[i] is { } outcome) return outcome;
            if (location.Point is { } point) return new TopologyOutcome(i, RankByDistance(point), false);
            if (i == _matches.Length - 1) return new TopologyOutcome(i, DistanceFallback, true);
        }
        // Unreachable: the constructor requires a default rule last, and it matches everyone.
        throw new InvalidOperationException("no topology rule matched");
    }

    /// <summary>Classifies an address range by its first address (the key a look-up tree is built on).</summary>
    public TopologyOutcome Classify(in ClientLocation location, UInt128 rangeStart) =>
        Classify(location, new ClientAddress(rangeStart, (rangeStart >> 32) == 0xffff));

    /// <summary>
    /// All regions nearest first. Regions at exactly the same location share a rank, so they split
    /// traffic by weight rather than by the order they were written in.
    /// </summary>
    public RegionRanking RankByDistance(GeoPoint client)
    {
        var regions = Service.Regions;
        var order = new (double Distance, int Index)[regions.Length];
        for (int i = 0; i < regions.Length; i++)
        {
            var location = regions[i].Location
                ?? throw new InvalidOperationException($"region '{regions[i].Name}' of {Service.Name} has no location");
            order[i] = (GreatCircle.DistanceKm(client, location), i);
        }
        Array.Sort(order);
        var ranks = new List<List<int>>();
        for (int i = 0; i < order.Length; i++)
        {
            if (i > 0 && regions[order[i].Index].Location == regions[order[i - 1].Index].Location) ranks[^1].Add(order[i].Index);
            else ranks.Add([order[i].Index]);
        }
        return RegionRanking.FromRanks(ranks);
    }
}
