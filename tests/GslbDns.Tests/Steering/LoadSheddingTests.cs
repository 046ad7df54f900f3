using GslbDns.Pipeline;
using GslbDns.Steering.Choice;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;

namespace GslbDns.Tests.Steering;

/// <summary>The chooser's answer to load: a stable share of client networks shed, and where they spill.</summary>
public class LoadSheddingTests
{
    private const int A = 0, B = 1, C = 2;
    private const int Networks = 10_000;

    private static ServicePolicy Service(string spill = "next", string weights = "") => PolicyText.ReadValid($$"""
        services:
          www:
            load: { shed: { start: 0.80, full: 0.95 }, spill: {{spill}} }
            regions:
              a: { target: a.www{{weights}} }
              b: { target: b.www }
              c: { target: c.www }
            topology:
              - default: [a, b, c]
        """).Services[0];

    private static readonly RegionRanking InOrder = RegionRanking.Sequence(A, B, C);
    private static readonly RegionStatus Up = RegionStatus.AllUp;
    private static readonly RegionStatus Down = new(AdminRegionState.Active, HealthStatus.Down);

    /// <summary>A region at <paramref name="load"/> with <paramref name="capacity"/> connections, as the state store prepares it.</summary>
    private static RegionStatus At(ServicePolicy service, double load, double capacity = 1000) =>
        Up with { Load = load, ShedShare = service.Load.ShedShare(load), Spare = capacity * Math.Max(0, 1 - load) };

    private static PublishedRegionState State(params RegionStatus[] regions) => new(new RegionStateTable([regions]));

    private static ulong[] Keys() =>
        Enumerable.Range(0, Networks).Select(i => ClientNetworkKey.Of(ClientAddress.FromIPv4(0x0A000000u + ((uint)i << 8)))).ToArray();

    private static HashSet<ulong> MovedOffA(ServicePolicy service, IRegionStateSource state, ulong[] keys) =>
        keys.Where(k => RegionChooser.Choose(service, InOrder, state, k).Region != A).ToHashSet();

    [Fact]
    public void ShedShare_IsLinearBetweenStartAndFull()
    {
        var load = LoadPolicy.Default with { ShedStart = 0.8, ShedFull = 0.95 };
        Assert.Equal(0, load.ShedShare(double.NaN));
        Assert.Equal(0, load.ShedShare(0.5));
        Assert.Equal(0, load.ShedShare(0.8));
        Assert.Equal(0.5, load.ShedShare(0.875), 9);
        Assert.Equal(1, load.ShedShare(0.95));
        Assert.Equal(1, load.ShedShare(1.3));
    }

    [Fact]
    public void AtStart_NobodyMoves_Halfway_HalfMove_AtFull_AllMove()
    {
        var service = Service();
        var keys = Keys();
        Assert.Empty(MovedOffA(service, State(At(service, 0.80), Up, Up), keys));
        var half = MovedOffA(service, State(At(service, 0.875), Up, Up), keys);
        Assert.InRange(half.Count / (double)Networks, 0.48, 0.52);
        Assert.Equal(Networks, MovedOffA(service, State(At(service, 0.95), Up, Up), keys).Count);
    }

    [Fact]
    public void TheSameNetworksMoveFirst_AndComeBackLast()
    {
        var service = Service();
        var keys = Keys();
        HashSet<ulong>? previous = null;
        foreach (double load in new[] { 0.82, 0.85, 0.875, 0.9, 0.93 })
        {
            var moved = MovedOffA(service, State(At(service, load), Up, Up), keys);
            if (previous is not null) Assert.Superset(previous, moved);
            previous = moved;
        }
        // Asking again with the same state gives the same answers: nothing flaps between queries.
        Assert.Equal(previous, MovedOffA(service, State(At(service, 0.93), Up, Up), keys));
    }

    [Fact]
    public void PartialShed_DependsOnTheClientNetwork_NoShedDoesNot()
    {
        var service = Service();
        var shedding = State(At(service, 0.9), Up, Up);
        Assert.All(Keys().Take(100), k => Assert.True(RegionChooser.Choose(service, InOrder, shedding, k).DependsOnClientKey));
        var idle = State(At(service, 0.5), Up, Up);
        Assert.All(Keys().Take(100), k => Assert.False(RegionChooser.Choose(service, InOrder, idle, k).DependsOnClientKey));
    }

    [Fact]
    public void SpillNext_GoesToTheNextRank_AndOnWhenThatShedsToo()
    {
        var service = Service();
        var keys = Keys();
        var state = State(At(service, 0.95), At(service, 0.875), Up);
        int b = 0, c = 0;
        foreach (var key in keys)
        {
            var choice = RegionChooser.Choose(service, InOrder, state, key);
            Assert.Equal(A, choice.ShedFrom);
            if (choice.Region == B) b++;
            else if (choice.Region == C) c++;
        }
        // All of a's clients leave; b sheds half of what reaches it on to c.
        Assert.Equal(Networks, b + c);
        Assert.InRange(c / (double)Networks, 0.47, 0.53);
    }

    [Fact]
    public void EveryRegionAtFull_ClientsStayOnTheirFirstPreference()
    {
        foreach (var spill in new[] { "next", "capacity" })
        {
            var service = Service(spill);
            var state = State(At(service, 0.99), At(service, 0.97), At(service, 1.0));
            foreach (var key in Keys().Take(500))
            {
                var choice = RegionChooser.Choose(service, InOrder, state, key);
                Assert.Equal(ChoiceKind.Region, choice.Kind);
                Assert.Equal(A, choice.Region);
                Assert.True(choice.Overloaded);
                Assert.False(choice.FailedOpen);
            }
        }
    }

    [Fact]
    public void SpillCapacity_SplitsInProportionToSpareCapacity()
    {
        var service = Service("capacity");
        // b has 3000 × (1 − 0.5) = 1500 spare, c 1000 × (1 − 0.5) = 500: b takes 3/4 of a's clients.
        var state = State(At(service, 0.95), At(service, 0.5, 3000), At(service, 0.5, 1000));
        int b = 0, c = 0;
        foreach (var key in Keys())
        {
            var choice = RegionChooser.Choose(service, InOrder, state, key);
            Assert.Equal(A, choice.ShedFrom);
            Assert.True(choice.DependsOnClientKey);
            if (choice.Region == B) b++;
            else if (choice.Region == C) c++;
        }
        Assert.Equal(Networks, b + c);
        Assert.InRange(b / (double)Networks, 0.73, 0.77);
    }

    [Fact]
    public void SpillCapacity_ADownRegionsClientsSpreadTheSameWay()
    {
        var service = Service("capacity");
        // c has no report: it counts with its weight (100) against b's spare 300.
        var state = State(Down, At(service, 0.7, 1000), Up);
        int b = 0, c = 0;
        foreach (var key in Keys())
        {
            var choice = RegionChooser.Choose(service, InOrder, state, key);
            Assert.True(choice.Spilled);
            if (choice.Region == B) b++;
            else if (choice.Region == C) c++;
        }
        Assert.Equal(Networks, b + c);
        Assert.InRange(b / (double)Networks, 0.73, 0.77);

        // spill: next sends every one of them to the next rank instead.
        var next = Service("next");
        Assert.All(Keys().Take(500), k => Assert.Equal(B, RegionChooser.Choose(next, InOrder, State(Down, Up, Up), k).Region));
    }

    [Fact]
    public void WithinARank_SplitScalesWithSpareShare_WhenEveryRegionReports()
    {
        var service = Service();
        var rank = RegionRanking.Single(A, B);
        var keys = Keys();
        // Equal weights, spare shares 0.6 and 0.2: a gets 3/4.
        int a = keys.Count(k => RegionChooser.Choose(service, rank, State(At(service, 0.4), At(service, 0.8), Up), k).Region == A);
        Assert.InRange(a / (double)Networks, 0.72, 0.78);
        // Only one of them reports: plain weights.
        a = keys.Count(k => RegionChooser.Choose(service, rank, State(At(service, 0.4), Up, Up), k).Region == A);
        Assert.InRange(a / (double)Networks, 0.47, 0.53);
    }

    [Fact]
    public void SpillCapacity_WithinARank_SplitAlsoScalesWithSpareShare()
    {
        var service = Service("capacity");
        var rank = RegionRanking.Single(A, B);
        int a = Keys().Count(k => RegionChooser.Choose(service, rank, State(At(service, 0.4), At(service, 0.8), Up), k).Region == A);
        Assert.InRange(a / (double)Networks, 0.72, 0.78);
    }

    [Fact]
    public void Explain_MarksTheShedRegion_AndAgreesWithChoose()
    {
        var service = Service();
        var state = State(At(service, 0.95), Up, Up);
        foreach (var key in Keys().Take(200))
        {
            var (choice, verdicts) = RegionChooser.Explain(service, InOrder, state, key);
            Assert.Equal(RegionChooser.Choose(service, InOrder, state, key), choice);
            Assert.Equal([RegionVerdict.Shed, RegionVerdict.Chosen, RegionVerdict.LowerRank], verdicts);
        }
    }
}
