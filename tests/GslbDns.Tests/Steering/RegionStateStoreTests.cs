using GslbDns.Steering;
using GslbDns.Protocol;
using GslbDns.Health;
using GslbDns.Steering.Choice;
using GslbDns.Steering.State;
using Microsoft.Extensions.Time.Testing;

namespace GslbDns.Tests.Steering;

public class RegionStateStoreTests
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    /// <summary>[service][region] addresses: www's ap, eu, us get 1, 2, 3; the apex's one, two get 4, 5.</summary>
    private static UInt128[][][] Addresses() => [[[1], [2], [3]], [[4], [5]]];

    [Fact]
    public void AdminOverride_DrivesTheChoice_AndCanBeReplaced()
    {
        var document = PolicyText.ReadValid(PolicyText.Full);
        var www = document.Services[0];
        var (admin, _) = AdminStateReader.ReadText("www.example.com: { ap: drain }\nexample.com: { \"@\": { one: down } }", "admin-state.yaml");
        using var store = new RegionStateStore();
        var state = store.Attach(document, Addresses());
        store.SetAdmin(admin!.ByRegion());

        var apFirst = www.Rules[1].Preference.Ranks!; // [ap, eu]
        Assert.Equal(1, RegionChooser.Choose(www, apFirst, state, 9).Region);
        Assert.Equal(AdminRegionState.Down, state.GetRegion(1, 0).Admin);
        Assert.Equal(HealthStatus.Up, state.GetRegion(1, 1).Health);
        Assert.Equal(HealthStatus.Up, state.GetAddressHealth(0, 0, 1));

        store.SetAdmin(AdminStateFile.Empty.ByRegion());
        Assert.Equal(0, RegionChooser.Choose(www, apFirst, state, 9).Region);
        Assert.Equal(AdminRegionState.Active, state.GetRegion(1, 0).Admin);
    }

    [Fact]
    public void HealthVerdicts_AreKeptByName_AcrossAReattachedDocument()
    {
        var text = PolicyText.Full.Replace("    ttl: 20\n", "    ttl: 20\n    health: { check: tcp, port: 80, interval: 1s, timeout: 200ms }\n");
        var document = PolicyText.ReadValid(text);
        using var store = new RegionStateStore();
        var first = store.Attach(document, Addresses());
        store.SetHealth([(new AddressKey(Www, "ap", 1), HealthStatus.Down)], TimeSpan.FromSeconds(3));
        Assert.Equal(HealthStatus.Down, first.GetRegion(0, 0).Health);

        // A reload compiles the policy again (regions in another order): the verdict follows the name.
        var reordered = PolicyText.ReadValid(text.Replace(
            "      ap: { target: ap.www, location: [1.35, 103.82], weight: 100, capacity: 5000 }\n      eu: { target: eu.www.example.com., location: [50.11, 8.68] }\n",
            "      eu: { target: eu.www.example.com., location: [50.11, 8.68] }\n      ap: { target: ap.www, location: [1.35, 103.82], weight: 100, capacity: 5000 }\n"));
        Assert.Equal("eu", reordered.Services[0].Regions[0].Name);
        var second = store.Attach(reordered, [[[2], [1], [3]], [[4], [5]]]);
        store.Retain([second]);
        Assert.Equal(HealthStatus.Up, second.GetRegion(0, 0).Health);
        Assert.Equal(HealthStatus.Down, second.GetRegion(0, 1).Health);
        Assert.Equal(HealthStatus.Down, second.GetAddressHealth(0, 1, 1));
        Assert.Single(store.Attached);
    }

    [Fact]
    public void UncheckedAddresses_AreUp_CheckedOnesStartAtTheirInitialVerdict()
    {
        var text = PolicyText.Full.Replace("    ttl: 20\n", "    ttl: 20\n    health: { check: tcp, initial: down }\n");
        var document = PolicyText.ReadValid(text);
        using var store = new RegionStateStore();
        var state = store.Attach(document, Addresses());
        Assert.Equal(HealthStatus.Down, state.GetRegion(0, 0).Health);
        Assert.Equal(HealthStatus.Up, state.GetRegion(1, 0).Health);
    }

    [Fact]
    public void Degraded_WhileARegionIsDown_AndForFallTimesIntervalAfterAChange()
    {
        var text = PolicyText.Full.Replace("    ttl: 20\n", "    ttl: 20\n    health: { check: tcp }\n");
        var document = PolicyText.ReadValid(text);
        var time = new FakeTimeProvider();
        using var store = new RegionStateStore(time);
        var state = store.Attach(document, Addresses());
        var ap = new AddressKey(Www, "ap", 1);
        store.SetHealth([(ap, HealthStatus.Up)], TimeSpan.FromSeconds(3));
        Assert.False(state.IsDegraded(0));

        store.SetHealth([(ap, HealthStatus.Down)], TimeSpan.FromSeconds(3));
        Assert.True(state.IsDegraded(0));
        Assert.False(state.IsDegraded(1));
        store.SetHealth([(ap, HealthStatus.Up)], TimeSpan.FromSeconds(3));
        Assert.True(state.IsDegraded(0));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(state.IsDegraded(0));
        time.Advance(TimeSpan.FromSeconds(1.1));
        Assert.False(state.IsDegraded(0));
    }

    [Theory]
    [InlineData(new HealthStatus[0], HealthStatus.Unknown)]
    [InlineData(new[] { HealthStatus.Down, HealthStatus.Up }, HealthStatus.Up)]
    [InlineData(new[] { HealthStatus.Down, HealthStatus.Unknown }, HealthStatus.Unknown)]
    [InlineData(new[] { HealthStatus.Down, HealthStatus.Down }, HealthStatus.Down)]
    public void RegionHealth_IsDownOnlyWhenEveryAddressIs(HealthStatus[] addresses, HealthStatus expected)
    {
        Assert.Equal(expected, RegionStatus.Aggregate(addresses));
    }

    [Fact]
    public void PublishedTable_AnswersAddressHealth()
    {
        var table = new RegionStateTable(
            [[RegionStatus.AllUp]],
            [[[new AddressHealth(5, HealthStatus.Down), new AddressHealth(6, HealthStatus.Up)]]]);
        var state = new PublishedRegionState(table);
        Assert.Equal(HealthStatus.Down, state.GetAddressHealth(0, 0, 5));
        Assert.Equal(HealthStatus.Up, state.GetAddressHealth(0, 0, 6));
        Assert.Equal(HealthStatus.Unknown, state.GetAddressHealth(0, 0, 7));
        Assert.False(state.IsDegraded(0));
    }
}

public class RegionStateStoreLoadTests
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    private static UInt128[][][] Addresses() => [[[1], [2], [3]], [[4], [5]]];

    [Fact]
    public void Report_SetsLoadAndShedShare_UntilItsTtlRunsOut()
    {
        var time = new FakeTimeProvider();
        var document = PolicyText.ReadValid(PolicyText.Full); // shed 0.7 to 0.9; ap capacity 5000
        using var store = new RegionStateStore(time);
        var state = store.Attach(document, Addresses());

        store.SetLoad(new RegionKey(Www, "ap"), new LoadReport(0.5, 0.6, 4000, null), TimeSpan.FromSeconds(10), "test");
        var ap = state.GetRegion(0, 0);
        Assert.Equal(0.8, ap.Load, 9); // connections 4000 / policy capacity 5000 beat cpu and memory
        Assert.Equal(0.5, ap.ShedShare, 9);
        Assert.Equal(1000, ap.Spare, 6);

        time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.True(state.GetRegion(0, 0).HasLoad);
        time.Advance(TimeSpan.FromSeconds(0.2));
        // Expired: load unknown, which is an idle region, never a down one.
        Assert.False(state.GetRegion(0, 0).HasLoad);
        Assert.Equal(0, state.GetRegion(0, 0).ShedShare);
        Assert.Equal(HealthStatus.Up, state.GetRegion(0, 0).Health);
        Assert.False(store.LoadOf(new RegionKey(Www, "ap"))!.Value.Valid);
    }

    /// <summary>
    /// A clock whose timestamp runs behind the timers' clock and moves a millisecond at each reading
    /// while <see cref="Moving"/>: a timer that fires a little early by the timestamp, then a pause
    /// between two readings, as on a busy machine.
    /// </summary>
    private sealed class EarlyTimerClock : FakeTimeProvider
    {
        private long _offset;
        public bool Moving;

        public void Lag(TimeSpan by) => _offset = -(long)(by.TotalSeconds * TimestampFrequency);

        public override long GetTimestamp()
        {
            if (Moving) _offset += TimestampFrequency / 1000;
            return base.GetTimestamp() + _offset;
        }
    }

    [Fact]
    public void Report_Expires_WhenTheTimerFiresJustBeforeItsTtl()
    {
        var time = new EarlyTimerClock();
        var document = PolicyText.ReadValid(PolicyText.Full);
        using var store = new RegionStateStore(time);
        var state = store.Attach(document, Addresses());
        store.SetLoad(new RegionKey(Www, "ap"), new LoadReport(0.5, null, null, null), TimeSpan.FromSeconds(10), "test");

        // The expiry timer fires with the report 1.5 ms short of its end by the timestamp, and the
        // report runs out between the store's readings of the clock.
        time.Lag(TimeSpan.FromMilliseconds(2.5));
        time.Moving = true;
        time.Advance(TimeSpan.FromSeconds(10) + TimeSpan.FromMilliseconds(1));
        time.Moving = false;
        Assert.True(state.GetRegion(0, 0).HasLoad);

        // The store set its timer again for what it still counted: the report leaves the tables.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(store.LoadOf(new RegionKey(Www, "ap"))!.Value.Valid);
        Assert.False(state.GetRegion(0, 0).HasLoad);
    }

    [Fact]
    public void Report_OutlivesAReload_ButNotItsRegion()
    {
        var both = PolicyText.ReadValid(PolicyText.Service("eu: { target: eu.www }\nus: { target: us.www }", "- default: [eu, us]"));
        using var store = new RegionStateStore(new FakeTimeProvider());
        store.Attach(both, [[[1], [2]]]);
        var eu = new RegionKey(Www, "eu");
        store.SetLoad(eu, new LoadReport(0.85, null, null, null), TimeSpan.FromMinutes(1), "test");

        // Reloaded with the regions in another order: the report follows the name.
        var swapped = store.Attach(PolicyText.ReadValid(PolicyText.Service("us: { target: us.www }\neu: { target: eu.www }", "- default: [eu, us]")), [[[2], [1]]]);
        store.Retain([swapped]);
        Assert.Equal(0.85, swapped.GetRegion(0, 1).Load, 9);
        Assert.False(swapped.GetRegion(0, 0).HasLoad);

        // A policy without eu drops its report; eu coming back starts with no load.
        var usOnly = store.Attach(PolicyText.ReadValid(PolicyText.Service("us: { target: us.www }", "- default: [us]")), [[[2]]]);
        store.Retain([usOnly]);
        Assert.Null(store.LoadOf(eu));
        var back = store.Attach(both, [[[1], [2]]]);
        store.Retain([back]);
        Assert.False(back.GetRegion(0, 0).HasLoad);
    }

    [Fact]
    public void ApiDrain_CombinesWithTheFile()
    {
        var document = PolicyText.ReadValid(PolicyText.Full);
        using var store = new RegionStateStore(new FakeTimeProvider());
        var state = store.Attach(document, Addresses());
        var ap = new RegionKey(Www, "ap");
        store.SetApiDrains([ap]);
        Assert.Equal(AdminRegionState.Drain, state.GetRegion(0, 0).Admin);
        var (file, _) = AdminStateReader.ReadText("www.example.com: { ap: down }", "admin-state.yaml");
        store.SetAdmin(file!.ByRegion());
        Assert.Equal(AdminRegionState.Down, state.GetRegion(0, 0).Admin);
        Assert.Equal((AdminRegionState.Down, true), store.AdminSourcesOf(ap));
        store.SetAdmin(AdminStateFile.Empty.ByRegion());
        Assert.Equal(AdminRegionState.Drain, state.GetRegion(0, 0).Admin);
        store.SetApiDrains([]);
        Assert.Equal(AdminRegionState.Active, state.GetRegion(0, 0).Admin);
    }

    [Fact]
    public void AnswersAreCounted_PerRegion_AcrossReloads()
    {
        var time = new FakeTimeProvider();
        var document = PolicyText.ReadValid(PolicyText.Full);
        using var store = new RegionStateStore(time);
        var state = store.Attach(document, Addresses());
        for (int i = 0; i < 30; i++) state.CountAnswer(0, 1, SteeringReason.Preferred);
        var again = store.Attach(PolicyText.ReadValid(PolicyText.Full), Addresses());
        store.Retain([again]);
        for (int i = 0; i < 12; i++) again.CountAnswer(0, 1, SteeringReason.Spill);
        for (int i = 0; i < 5; i++) again.CountAnswer(0, -1, SteeringReason.AllDownServFail);
        Assert.Equal(42, store.RecentAnswers(new RegionKey(Www, "eu")));
        var decisions = store.DecisionCounts();
        Assert.Contains((new RegionKey(Www, "eu"), SteeringReason.Preferred, 30L), decisions);
        Assert.Contains((new RegionKey(Www, "eu"), SteeringReason.Spill, 12L), decisions);
        Assert.Contains((new RegionKey(Www, RegionStateStore.ServiceWide), SteeringReason.AllDownServFail, 5L), decisions);
        Assert.DoesNotContain(decisions, d => d.Region.Region == "eu" && d.Reason == SteeringReason.AllDownServFail);
        // A minute of samples later the old answers have left the window.
        for (int i = 0; i < 13; i++) time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, store.RecentAnswers(new RegionKey(Www, "eu")));
    }
}
