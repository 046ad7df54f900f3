using GslbDns.Steering;
using GslbDns.Steering.Choice;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Tests.Steering;

/// <summary>A decision over a distance-ordered ranking of 100 regions reads only the ranks it weighs.</summary>
public class ManyRegionsChoiceTests
{
    private const int Regions = 100;

    private static ServicePolicy Service() => PolicyText.ReadValid(
        "services:\n  www:\n    regions:\n"
        + string.Concat(Enumerable.Range(0, Regions).Select(i => $"      r{i}: {{ target: r{i}.www, location: [{i % 80}, {i}] }}\n"))
        + "    topology:\n      - default: nearest\n").Services[0];

    private static readonly RegionRanking Nearest = RegionRanking.Sequence([.. Enumerable.Range(0, Regions)]);

    /// <summary>The region state, counting the regions read.</summary>
    private sealed class CountingState(RegionStateTable table) : IRegionStateSource
    {
        private readonly PublishedRegionState _inner = new(table);

        public HashSet<int> Read { get; } = [];

        public RegionStatus GetRegion(int service, int region)
        {
            Read.Add(region);
            return _inner.GetRegion(service, region);
        }

        public HealthStatus GetAddressHealth(int service, int region, UInt128 address) => _inner.GetAddressHealth(service, region, address);

        public bool IsDegraded(int service) => _inner.IsDegraded(service);

        public RRSet Filter(int service, int region, in RRSet set) => _inner.Filter(service, region, set);

        public void CountAnswer(int service, int region, SteeringReason reason) => _inner.CountAnswer(service, region, reason);
    }

    private static CountingState State(params (int Region, RegionStatus Status)[] changed)
    {
        var regions = Enumerable.Repeat(RegionStatus.AllUp, Regions).ToArray();
        foreach (var (region, status) in changed) regions[region] = status;
        return new CountingState(new RegionStateTable([regions]));
    }

    private static readonly RegionStatus Down = new(AdminRegionState.Active, HealthStatus.Down);

    [Fact]
    public void AllUp_ChoosesTheNearest_ReadingItsStateAlone()
    {
        var state = State();
        var choice = RegionChooser.Choose(Service(), Nearest, state, 42);
        Assert.Equal(0, choice.Region);
        Assert.Equal([0], state.Read);
    }

    [Fact]
    public void NearestDown_MovesToTheNext_ReadingTheRanksUpToIt()
    {
        var state = State((0, Down), (1, Down));
        var choice = RegionChooser.Choose(Service(), Nearest, state, 42);
        Assert.Equal(2, choice.Region);
        Assert.Equal(2, choice.Rank);
        Assert.Equal([0, 1, 2], state.Read.Order());
    }

    [Fact]
    public void Explain_StillGivesAVerdictForEveryRegion()
    {
        var state = State((0, Down));
        var (choice, verdicts) = RegionChooser.Explain(Service(), Nearest, state, 42);
        Assert.Equal(1, choice.Region);
        Assert.Equal(RegionVerdict.HealthDown, verdicts[0]);
        Assert.Equal(RegionVerdict.Chosen, verdicts[1]);
        Assert.All(verdicts[2..], v => Assert.Equal(RegionVerdict.LowerRank, v));
        Assert.Equal(Regions, state.Read.Count);
    }

    [Fact]
    public void AllDown_FailsOpenToTheNearest()
    {
        var state = State([.. Enumerable.Range(0, Regions).Select(r => (r, Down))]);
        var choice = RegionChooser.Choose(Service(), Nearest, state, 42);
        Assert.True(choice.FailedOpen);
        Assert.Equal(0, choice.Region);
    }
}
