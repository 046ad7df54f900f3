using GslbDns.Steering.Policy;
using GslbDns.Steering.State;

namespace GslbDns.Steering.Choice;

/// <summary>
/// The conditions of a ranking's regions, read from the region state only as far as a decision
/// looks. A distance-ordered ranking holds every region of the service (100 and more for a CDN),
/// yet with the first rank usable a decision reads that rank alone: reading all of them cost one
/// state look-up per region per query, the only part of a choice that grew with the region count.
/// </summary>
internal ref struct RankedConditions
{
    private readonly Span<RegionCondition> _conditions;
    private readonly ServicePolicy _service;
    private readonly ReadOnlySpan<int> _regions;
    private readonly IRegionStateSource _state;

    // Positions below this are read; the rest of the scratch is not written yet.
    private int _known;

    public RankedConditions(Span<RegionCondition> scratch, ServicePolicy service, RegionRanking ranking, IRegionStateSource state)
    {
        _conditions = scratch;
        _service = service;
        _regions = ranking.Regions;
        _state = state;
        _known = 0;
    }

    public readonly int Length => _conditions.Length;

    /// <summary>The condition of the region at <paramref name="position"/> of the ranking.</summary>
    public RegionCondition this[int position]
    {
        get
        {
            if (position >= _known) ReadUpTo(position + 1);
            return _conditions[position];
        }
    }

    /// <summary>The conditions of positions 0 up to (not including) <paramref name="end"/>.</summary>
    public ReadOnlySpan<RegionCondition> UpTo(int end)
    {
        if (end > _known) ReadUpTo(end);
        return _conditions[..end];
    }

    private void ReadUpTo(int end)
    {
        for (int p = _known; p < end; p++) _conditions[p] = RegionChooser.ConditionOf(_service, _regions[p], _state);
        _known = end;
    }
}
