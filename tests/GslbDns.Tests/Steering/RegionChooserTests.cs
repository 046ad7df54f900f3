using GslbDns.Pipeline;
using GslbDns.Steering.Choice;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;

namespace GslbDns.Tests.Steering;

public class RegionChooserTests
{
    private const int A = 0, B = 1, C = 2;

    /// <summary>Three regions: a (weight 100), b (weight 50), c (weight 100, capacity 1000).</summary>
    private static ServicePolicy Service(string allDown = "fail-open") => PolicyText.ReadValid($"""
        services:
          www:
            all-down: {allDown}
            regions:
              a: {"{"} target: a.www {"}"}
              b: {"{"} target: b.www, weight: 50 {"}"}
              c: {"{"} target: c.www, capacity: 1000 {"}"}
            topology:
              - default: [[a, b], c]
        """).Services[0];

    private static readonly RegionRanking SplitThenC = RegionRanking.FromRanks([[A, B], [C]]);
    private static readonly RegionRanking InOrder = RegionRanking.Sequence(A, B, C);

    private static PublishedRegionState State(params RegionStatus[] regions) =>
        new(new RegionStateTable([regions]));

    private static readonly RegionStatus Up = RegionStatus.AllUp;
    private static readonly RegionStatus HealthDown = new(AdminRegionState.Active, HealthStatus.Down);
    private static readonly RegionStatus Drained = new(AdminRegionState.Drain, HealthStatus.Up);
    private static readonly RegionStatus AdminDown = new(AdminRegionState.Down, HealthStatus.Up);

    /// <summary>A region reporting <paramref name="load"/>, as the state store prepares it for the default shed thresholds (0.80 to 0.95).</summary>
    private static RegionStatus Loaded(double load, double? capacity = null) =>
        Up with { Load = load, ShedShare = LoadPolicy.Default.ShedShare(load), Spare = capacity is { } c ? c * Math.Max(0, 1 - load) : double.NaN };

    /// <summary>Keys of 10 000 distinct /24 client networks.</summary>
    private static IEnumerable<ulong> NetworkKeys(int count = 10_000) =>
        Enumerable.Range(0, count).Select(i => ClientNetworkKey.Of(ClientAddress.FromIPv4(0x0A000000u + ((uint)i << 8))));

    [Fact]
    public void Split_FollowsWeights()
    {
        var service = Service();
        var state = State(Up, Up, Up);
        int a = 0, b = 0;
        foreach (var key in NetworkKeys())
        {
            var choice = RegionChooser.Choose(service, SplitThenC, state, key);
            Assert.Equal(ChoiceKind.Region, choice.Kind);
            Assert.True(choice.DependsOnClientKey);
            Assert.Equal(0, choice.Rank);
            if (choice.Region == A) a++;
            else if (choice.Region == B) b++;
        }
        Assert.Equal(10_000, a + b);
        Assert.InRange(a / 10_000.0, 2 / 3.0 - 0.03, 2 / 3.0 + 0.03);
    }

    [Fact]
    public void SameKey_KeepsItsRegion_WhileNothingChanges()
    {
        var service = Service();
        var state = State(Up, Up, Up);
        foreach (var key in NetworkKeys(500))
        {
            var first = RegionChooser.Choose(service, SplitThenC, state, key);
            Assert.Equal(first, RegionChooser.Choose(service, SplitThenC, state, key));
            // State of a region in a lower rank does not move anyone.
            Assert.Equal(first, RegionChooser.Choose(service, SplitThenC, State(Up, Up, HealthDown), key));
        }
    }

    [Fact]
    public void RegionJoiningRank_TakesClientsOnlyForItself()
    {
        var service = Service();
        var state = State(Up, Up, Up);
        var allInOne = RegionRanking.Single(A, B, C);
        int moved = 0;
        foreach (var key in NetworkKeys(2_000))
        {
            var before = RegionChooser.Choose(service, SplitThenC, state, key);
            var after = RegionChooser.Choose(service, allInOne, state, key);
            if (before.Region != after.Region)
            {
                Assert.Equal(C, after.Region);
                moved++;
            }
        }
        // c holds 100 of 250 weight: about 40 % of networks move to it, and no others move.
        Assert.InRange(moved / 2_000.0, 0.34, 0.46);
    }

    [Fact]
    public void SingleLiveRegionInRank_DoesNotDependOnKey()
    {
        var choice = RegionChooser.Choose(Service(), SplitThenC, State(HealthDown, Up, Up), 12345);
        Assert.Equal(new RegionChoice(ChoiceKind.Region, B, 0, false, false, false), choice);
    }

    [Fact]
    public void DownAndDrainedRegions_AreSkipped()
    {
        var service = Service();
        foreach (var blocked in new[] { HealthDown, Drained, AdminDown })
        {
            var choice = RegionChooser.Choose(service, SplitThenC, State(blocked, blocked, Up), 42);
            Assert.Equal(new RegionChoice(ChoiceKind.Region, C, 1, false, false, false), choice);
        }
    }

    [Fact]
    public void UnknownHealth_CountsAsLive()
    {
        var unknown = new RegionStatus(AdminRegionState.Active, HealthStatus.Unknown);
        Assert.Equal(A, RegionChooser.Choose(Service(), InOrder, State(unknown, Up, Up), 1).Region);
    }

    [Fact]
    public void AllDown_FailOpen_AnswersAsIfAllWereUp()
    {
        var service = Service("fail-open");
        var down = State(HealthDown, AdminDown, Drained);
        var up = State(Up, Up, Up);
        foreach (var key in NetworkKeys(200))
        {
            var choice = RegionChooser.Choose(service, SplitThenC, down, key);
            Assert.True(choice.FailedOpen);
            Assert.Equal(ChoiceKind.Region, choice.Kind);
            Assert.Equal(RegionChooser.Choose(service, SplitThenC, up, key).Region, choice.Region);
        }
        Assert.Equal(new RegionChoice(ChoiceKind.Region, C, 0, false, true, false),
            RegionChooser.Choose(service, RegionRanking.Sequence(C, A), down, 1));
    }

    [Fact]
    public void AllDown_ServFail()
    {
        var choice = RegionChooser.Choose(Service("servfail"), SplitThenC, State(HealthDown, HealthDown, AdminDown), 1);
        Assert.Equal(RegionChoice.ServFail, choice);
    }

    [Fact]
    public void AllDown_NoData()
    {
        var choice = RegionChooser.Choose(Service("nodata"), SplitThenC, State(Drained, Drained, Drained), 1);
        Assert.Equal(RegionChoice.NoData, choice);
    }

    [Fact]
    public void RegionsOutsideTheRanking_AreNeverChosen()
    {
        var choice = RegionChooser.Choose(Service("servfail"), RegionRanking.Sequence(A), State(HealthDown, Up, Up), 1);
        Assert.Equal(ChoiceKind.ServFail, choice.Kind);
    }

    [Fact]
    public void Explain_GivesEachRegionsReason_AndTheSameChoice()
    {
        var service = Service();
        var state = State(Up, Up, HealthDown);
        foreach (var key in NetworkKeys(100))
        {
            var (choice, verdicts) = RegionChooser.Explain(service, SplitThenC, state, key);
            Assert.Equal(RegionChooser.Choose(service, SplitThenC, state, key), choice);
            Assert.Equal(RegionVerdict.Chosen, verdicts[choice.Region]);
            Assert.Equal(RegionVerdict.Outweighed, verdicts[choice.Region == A ? B : A]);
            Assert.Equal(RegionVerdict.HealthDown, verdicts[C]);
        }

        var (_, reasons) = RegionChooser.Explain(service, InOrder, State(Drained, Up, Up), 1);
        Assert.Equal([RegionVerdict.Drained, RegionVerdict.Chosen, RegionVerdict.LowerRank], reasons);

        (_, reasons) = RegionChooser.Explain(service, RegionRanking.Sequence(B), State(AdminDown, HealthDown, Up), 1);
        Assert.Equal([RegionVerdict.NotRanked, RegionVerdict.Chosen, RegionVerdict.NotRanked], reasons);

        (var failedOpen, reasons) = RegionChooser.Explain(service, InOrder, State(AdminDown, HealthDown, Drained), 1);
        Assert.True(failedOpen.FailedOpen);
        Assert.Equal([RegionVerdict.Chosen, RegionVerdict.HealthDown, RegionVerdict.Drained], reasons);
    }

    [Fact]
    public void Choose_DoesNotAllocate()
    {
        var service = Service();
        var state = State(Up, Loaded(95), Up);
        RegionChooser.Choose(service, SplitThenC, state, 1);
        // Several rounds: the runtime may allocate once while it recompiles (tiered JIT); an
        // allocation per choice would show in every round.
        long fewest = long.MaxValue;
        for (int round = 0; round < 5 && fewest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (ulong key = 0; key < 1000; key++) RegionChooser.Choose(service, SplitThenC, state, key);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, fewest);
    }

    [Fact]
    public void ClientNetworkKey_IsPerNetwork()
    {
        var a = ClientNetworkKey.Of(ClientAddress.FromIPv4(0xC0000201));
        var b = ClientNetworkKey.Of(ClientAddress.FromIPv4(0xC00002FE));
        var c = ClientNetworkKey.Of(ClientAddress.FromIPv4(0xC0000301));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var v6a = ClientNetworkKey.Of(ClientAddress.FromIPAddress(System.Net.IPAddress.Parse("2001:db8:0:12::1")));
        var v6b = ClientNetworkKey.Of(ClientAddress.FromIPAddress(System.Net.IPAddress.Parse("2001:db8:0:ff:1::1")));
        var v6c = ClientNetworkKey.Of(ClientAddress.FromIPAddress(System.Net.IPAddress.Parse("2001:db8:0:100::1")));
        Assert.Equal(v6a, v6b);
        Assert.NotEqual(v6a, v6c);
        Assert.Equal(24, ClientNetworkKey.ScopeFor(ClientAddress.FromIPv4(1)));
    }
}

public class ChoiceExplanationTests
{
    [Fact]
    public void Describe_NamesRuleRankingAndEveryRankedRegion()
    {
        var document = PolicyText.ReadValid(PolicyText.Full);
        var www = document.Services[0];
        var classifier = new GslbDns.Steering.Topology.TopologyClassifier(www);
        var outcome = classifier.Classify(new GslbDns.Steering.Topology.ClientLocation("AS", "JP", null, null, 0, null), ClientAddress.FromIPv4(0xCB007101));
        var state = new PublishedRegionState(new RegionStateTable([
            [RegionStatus.AllUp, new RegionStatus(AdminRegionState.Drain, HealthStatus.Up), RegionStatus.AllUp],
            [RegionStatus.AllUp, RegionStatus.AllUp],
        ]));
        var (choice, verdicts) = RegionChooser.Explain(www, outcome.Ranking, state, 1);
        Assert.Equal(
            "www.example.com.: rule at example.com.gslb.yaml:19 gives [ap, [eu, us]]; ap chosen; eu drained; us lower-rank",
            ChoiceExplanation.Describe(www, outcome, choice, verdicts));

        var own = classifier.Classify(GslbDns.Steering.Topology.ClientLocation.Unknown, ClientAddress.FromIPv4(0xC6336401));
        var servFail = RegionChooser.Explain(www, own.Ranking, state, 1);
        Assert.Equal(
            "www.example.com.: rule at example.com.gslb.yaml:15 gives [eu]; nothing live, answering SERVFAIL; eu drained",
            ChoiceExplanation.Describe(www, own, servFail.Choice, servFail.Verdicts));
    }
}
