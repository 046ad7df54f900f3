using GslbDns.Protocol;
using GslbDns.Steering.State;
using Microsoft.Extensions.Time.Testing;

namespace GslbDns.Tests.Steering;

/// <summary>The history of region state the status page shows: what the store records, in what order, and how much it keeps.</summary>
public class StateChangeLogTests
{
    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    /// <summary>[service][region] addresses: www's ap, eu, us get ::ffff:192.0.2.1..3; the apex's one, two get 4, 5.</summary>
    private static UInt128[][][] Addresses() => [[[V4(1)], [V4(2)], [V4(3)]], [[V4(4)], [V4(5)]]];

    private static UInt128 V4(byte last) => ((UInt128)0xffff << 32) | (0xC0000200u | last);

    [Fact]
    public void Log_KeepsTheLatestCapacity_NewestFirst()
    {
        var log = new StateChangeLog();
        var region = new RegionKey(Www, "eu");
        for (int i = 1; i <= StateChangeLog.Capacity + 5; i++) log.Add(DateTimeOffset.UnixEpoch.AddSeconds(i), StateChangeKind.Health, region, null, "up", "down", $"#{i}");
        var all = log.Latest();
        Assert.Equal(StateChangeLog.Capacity, all.Count);
        Assert.Equal($"#{StateChangeLog.Capacity + 5}", all[0].Detail);
        Assert.Equal(StateChangeLog.Capacity + 5, all[0].Sequence);
        Assert.Equal("#6", all[^1].Detail);
        Assert.Equal(["#205", "#204", "#203"], log.Latest(3).Select(c => c.Detail));
        Assert.Empty(new StateChangeLog().Latest(50));
    }

    [Fact]
    public void HealthChanges_AreRecordedWithTheReason_ButNotAnAddressesFirstVerdict()
    {
        var text = PolicyText.Full.Replace("    ttl: 20\n", "    ttl: 20\n    health: { check: tcp }\n");
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-02T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var store = new RegionStateStore(time);
        store.Attach(PolicyText.ReadValid(text), Addresses());
        var ap = new AddressKey(Www, "ap", V4(1));
        store.SetHealth([(ap, HealthStatus.Up)], TimeSpan.Zero, "check started");
        Assert.Empty(store.Changes.Latest());

        time.Advance(TimeSpan.FromSeconds(3));
        store.SetHealth([(ap, HealthStatus.Down)], TimeSpan.FromSeconds(3), "connect refused");
        store.SetHealth([(ap, HealthStatus.Down)], TimeSpan.FromSeconds(3), "connect refused");
        var change = Assert.Single(store.Changes.Latest());
        Assert.Equal(new StateChange(1, time.GetUtcNow(), StateChangeKind.Health, new RegionKey(Www, "ap"), "192.0.2.1", "up", "down", "connect refused"), change);
    }

    [Fact]
    public void Drains_AndAdminFileEntries_AreRecordedWithTheirSource()
    {
        using var store = new RegionStateStore(new FakeTimeProvider());
        store.Attach(PolicyText.ReadValid(PolicyText.Full), Addresses());
        RegionKey ap = new(Www, "ap"), eu = new(Www, "eu");
        store.SetApiDrains([ap], "ops");
        store.SetApiDrains([ap], "ops");
        store.SetApiDrains([], "ops");
        var (admin, _) = AdminStateReader.ReadText("www.example.com: { eu: down }", "admin-state.yaml");
        store.SetAdmin(admin!.ByRegion());
        store.SetAdmin(admin.ByRegion());
        store.SetPulledDrain(eu, true);
        store.SetAdmin(AdminStateFile.Empty.ByRegion());

        var changes = store.Changes.Latest().Reverse().Select(c => (c.Kind, c.Region.Region, c.From, c.To, c.Detail)).ToArray();
        Assert.Equal([
            (StateChangeKind.ApiDrain, "ap", "active", "drained", "ops"),
            (StateChangeKind.ApiDrain, "ap", "drained", "active", "ops"),
            (StateChangeKind.AdminFile, "eu", "active", "down", "admin-state.yaml"),
            (StateChangeKind.AgentDrain, "eu", "active", "drained", "agent check"),
            (StateChangeKind.AdminFile, "eu", "down", "active", "admin-state.yaml"),
        ], changes);
    }

    [Fact]
    public void Shedding_IsRecordedWhenItStarts_AndWhenTheReportRunsOut()
    {
        var time = new FakeTimeProvider();
        using var store = new RegionStateStore(time);
        store.Attach(PolicyText.ReadValid(PolicyText.Full), Addresses()); // shed 0.7 to 0.9; ap capacity 5000
        var ap = new RegionKey(Www, "ap");
        store.SetLoad(ap, new LoadReport(0.5, 0.6, 1000, null), TimeSpan.FromSeconds(10), "test");
        Assert.Empty(store.Changes.Latest());
        store.SetLoad(ap, new LoadReport(0.5, 0.6, 4000, null), TimeSpan.FromSeconds(10), "test");
        store.SetLoad(ap, new LoadReport(0.5, 0.6, 4200, null), TimeSpan.FromSeconds(10), "test");
        time.Advance(TimeSpan.FromSeconds(11));

        var changes = store.Changes.Latest().Reverse().Select(c => (c.Kind, c.Region.Region, c.From, c.To, c.Detail)).ToArray();
        Assert.Equal([
            (StateChangeKind.Shedding, "ap", "none", "shedding 50%", "load 0.8"),
            (StateChangeKind.Shedding, "ap", "shedding", "none", "no valid load report"),
        ], changes);
    }
}
