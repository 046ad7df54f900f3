using GslbDns.Steering.Policy;

namespace GslbDns.Steering.State;

/// <summary>
/// An immutable snapshot of region and address state for one policy document. Sources build a new
/// table when anything changes and publish it with one reference write, so readers never lock and
/// never see a half-applied update.
/// </summary>
public sealed class RegionStateTable
{
    private readonly RegionStatus[][] _regions;
    private readonly AddressHealth[][][] _addresses;
    private readonly bool[] _degraded;
    private readonly (Zones.RRSet From, Zones.RRSet To)[][][]? _filtered;
    private readonly AnswerCounter[][]? _counters;

    /// <param name="regions">[service][region] status.</param>
    /// <param name="addresses">[service][region] per-address health; a missing entry means "not tracked".</param>
    /// <param name="degraded">[service]: a region is down or changed state recently, so answers use ttl-unhealthy.</param>
    /// <param name="filtered">[service][region] each address RRset of the region paired with its copy less the down addresses.</param>
    /// <param name="counters">[service][region] the counter of answers steered to the region (kept by the store across reloads);
    /// one more at [service][regions] for the service's all-down answers.</param>
    public RegionStateTable(RegionStatus[][] regions, AddressHealth[][][]? addresses = null, bool[]? degraded = null,
        (Zones.RRSet From, Zones.RRSet To)[][][]? filtered = null, AnswerCounter[][]? counters = null)
    {
        _counters = counters;
        _filtered = filtered;
        _regions = regions;
        _addresses = addresses ?? regions.Select(s => s.Select(_ => Array.Empty<AddressHealth>()).ToArray()).ToArray();
        _degraded = degraded ?? new bool[regions.Length];
    }

    public bool IsDegraded(int service) => _degraded[service];

    public void CountAnswer(int service, int region, SteeringReason reason)
    {
        if (_counters is null) return;
        var counters = _counters[service];
        counters[region >= 0 ? region : counters.Length - 1].Increment(reason);
    }

    /// <summary>The prepared copy of <paramref name="set"/> less its down addresses (the set itself when none is down or it is unknown).</summary>
    public Zones.RRSet Filter(int service, int region, in Zones.RRSet set)
    {
        if (_filtered is null) return set;
        // By reference: each pair is two RRsets of 40 bytes, not worth a copy per probe.
        var pairs = _filtered[service][region];
        for (int i = 0; i < pairs.Length; i++)
        {
            ref readonly var pair = ref pairs[i];
            if (pair.From.IsSame(set)) return pair.To;
        }
        return set;
    }

    /// <summary>A table with one status for every region of every service of <paramref name="document"/>.</summary>
    public static RegionStateTable Uniform(PolicyDocument document, RegionStatus status) =>
        new(document.Services.Select(s => Enumerable.Repeat(status, s.Regions.Length).ToArray()).ToArray());

    public RegionStatus Region(int service, int region) => _regions[service][region];

    public HealthStatus AddressHealth(int service, int region, UInt128 address)
    {
        foreach (var entry in _addresses[service][region])
        {
            if (entry.Address == address) return entry.Health;
        }
        return HealthStatus.Unknown;
    }

    /// <summary>A copy with the admin override applied (<paramref name="admin"/> is [service][region]).</summary>
    public RegionStateTable WithAdmin(AdminRegionState[][] admin)
    {
        var regions = new RegionStatus[_regions.Length][];
        for (int s = 0; s < regions.Length; s++)
        {
            regions[s] = new RegionStatus[_regions[s].Length];
            for (int r = 0; r < regions[s].Length; r++)
            {
                var state = s < admin.Length && r < admin[s].Length ? admin[s][r] : AdminRegionState.Active;
                regions[s][r] = _regions[s][r] with { Admin = state };
            }
        }
        return new RegionStateTable(regions, _addresses, _degraded, _filtered, _counters);
    }
}
