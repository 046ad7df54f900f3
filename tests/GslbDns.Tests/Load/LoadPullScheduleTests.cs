using System.Collections.Concurrent;
using GslbDns.Protocol;
using GslbDns.Configuration;
using GslbDns.Load;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GslbDns.Tests.Load;

/// <summary>The pollers on a fake clock with a scripted source: schedule, ttl rule, failures, agent drains, reloads.</summary>
public class LoadPullScheduleTests
{
    private const string Zone = """
        $ORIGIN example.com.
        @       3600 SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       3600 NS    ns1
        ns1     3600 A     192.0.2.53
        eu.www  60   A     127.0.0.11
        us.www  60   A     127.0.0.21
        """;

    private static string Policy(string euLoad = "{ pull: \"http://10.0.1.5:8404/stats;csv\", interval: 5s, timeout: 2s, backend: web }",
        string usLoad = "{ agent: \"10.0.2.5:9999\", interval: 5s }", string reportTtl = "10s") => $$"""
        services:
          www:
            load: { report-ttl: {{reportTtl}} }
            regions:
              eu: { target: eu.www, capacity: 5000, load: {{euLoad}} }
              us: { target: us.www, load: {{usLoad}} }
            topology:
              - default: [eu, us]
        """;

    private static readonly DnsName Www = DnsName.Parse("www.example.com.");
    private static readonly RegionKey Eu = new(Www, "eu");
    private static readonly RegionKey Us = new(Www, "us");

    /// <summary>Always the middle of the range: no jitter, first poll half a second in.</summary>
    private sealed class MiddleRandom : Random
    {
        public override double NextDouble() => 0.5;
    }

    /// <summary>A source whose answer per region the test sets; records when each poll started.</summary>
    private sealed class ScriptedFetcher(FakeTimeProvider time) : ILoadFetcher
    {
        private readonly DateTimeOffset _start = time.GetUtcNow();
        public readonly ConcurrentDictionary<string, Func<LoadPullSpec, CancellationToken, Task<LoadPollResult>>> Behaviour = new();
        public readonly ConcurrentQueue<(string Source, TimeSpan At)> Calls = new();

        public Task<LoadPollResult> FetchAsync(LoadPullSpec spec, CancellationToken cancellation)
        {
            string source = spec.Url?.Host ?? spec.Agent!;
            Calls.Enqueue((source, time.GetUtcNow() - _start));
            return Behaviour.TryGetValue(source, out var behaviour) ? behaviour(spec, cancellation)
                : Task.FromResult(LoadPollResult.Of(new LoadReport(null, null, 1000, null)));
        }

        public TimeSpan[] At(string source) => Calls.Where(c => c.Source == source).Select(c => c.At).ToArray();
    }

    private sealed class RecordingLogger : ILogger<LoadPuller>
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries) _entries.Add((logLevel, formatter(state, exception)));
        }

        public int Count(LogLevel level, string text)
        {
            lock (_entries) return _entries.Count(e => e.Level == level && e.Message.Contains(text, StringComparison.Ordinal));
        }
    }

    private sealed class Rig : IAsyncDisposable
    {
        public readonly FakeTimeProvider Time = new();
        public readonly RegionStateStore State;
        public readonly ScriptedFetcher Fetcher;
        public readonly RecordingLogger Logger = new();
        public readonly LoadPuller Puller;
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "gslbdns-load-" + Guid.NewGuid().ToString("N")[..8]);

        public Rig()
        {
            State = new RegionStateStore(Time);
            Fetcher = new ScriptedFetcher(Time);
            var zones = new ZoneStore();
            var loader = new ZoneCatalogLoader(zones, State, _folder, () => GeoDatabaseSet.Empty, NullLogger<ZoneCatalogLoader>.Instance);
            Puller = new LoadPuller(loader, zones, State, Fetcher, Time, Logger, new MiddleRandom());
        }

        public ZoneSet Serve(string policy)
        {
            var origin = DnsName.Parse("example.com.");
            var read = MasterFileReader.ReadText(Zone, "example.com.zone", origin);
            Assert.Empty(read.Problems);
            var zone = ZoneCompiler.Compile(origin, read.Records, "example.com.zone");
            var (document, problems) = PolicyReader.ReadText(policy, "example.com.gslb.yaml", origin);
            Assert.Empty(problems);
            var set = new ZoneSet([new ServedZone(zone, SteeringCompiler.Compile(document!, zone, GeoDatabaseSet.Empty, State))]);
            Puller.Sync(set);
            return set;
        }

        /// <summary>Moves the fake clock in 10 ms steps, giving the loops a moment of real time after each.</summary>
        public async Task RunAsync(TimeSpan span, Func<bool>? until = null)
        {
            for (var done = TimeSpan.Zero; done < span; done += TimeSpan.FromMilliseconds(10))
            {
                if (until?.Invoke() == true) return;
                Time.Advance(TimeSpan.FromMilliseconds(10));
                await Task.Delay(1);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Puller.DisposeAsync();
            State.Dispose();
        }
    }

    private static void Close(TimeSpan expected, TimeSpan actual, TimeSpan tolerance) =>
        Assert.InRange(actual, expected - tolerance, expected + tolerance);

    [Fact]
    public async Task Polls_StartToStart_EveryInterval_EvenWhenAPollTakesTime()
    {
        await using var rig = new Rig();
        rig.Fetcher.Behaviour["10.0.1.5"] = async (_, token) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), rig.Time, token);
            return LoadPollResult.Of(new LoadReport(null, null, 2500, null));
        };
        rig.Serve(Policy());
        await rig.RunAsync(TimeSpan.FromSeconds(21), () => rig.Fetcher.At("10.0.1.5").Length >= 5);
        var at = rig.Fetcher.At("10.0.1.5");
        Assert.True(at.Length >= 5, $"{at.Length} polls");
        Assert.InRange(at[0], TimeSpan.FromMilliseconds(490), TimeSpan.FromMilliseconds(560));
        Assert.All(at.Zip(at.Skip(1)), gap => Assert.InRange(gap.Second - gap.First, TimeSpan.FromMilliseconds(4990), TimeSpan.FromMilliseconds(5060)));
    }

    [Fact]
    public void Period_JittersWithinFivePercent()
    {
        var state = new RegionStateStore();
        var zones = new ZoneStore();
        var loader = new ZoneCatalogLoader(zones, state, Path.GetTempPath(), () => GeoDatabaseSet.Empty, NullLogger<ZoneCatalogLoader>.Instance);
        var puller = new LoadPuller(loader, zones, state, new ScriptedFetcher(new FakeTimeProvider()), TimeProvider.System,
            NullLogger<LoadPuller>.Instance, new Random(3));
        var periods = Enumerable.Range(0, 200).Select(_ => puller.Period(TimeSpan.FromSeconds(10))).ToArray();
        Assert.All(periods, p => Assert.InRange(p, TimeSpan.FromSeconds(9.5), TimeSpan.FromSeconds(10.5)));
        Assert.True(periods.Distinct().Count() > 100, "periods vary");
        Assert.All(Enumerable.Range(0, 50), _ => Assert.InRange(puller.FirstDelay(TimeSpan.FromSeconds(5)), TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Report_IsStoredWithTheTtlRule_AndTheSource()
    {
        await using var rig = new Rig();
        rig.Serve(Policy());
        await rig.RunAsync(TimeSpan.FromSeconds(2), () => rig.State.LoadOf(Eu) is not null);
        var (load, valid) = rig.State.LoadOf(Eu)!.Value;
        Assert.True(valid);
        Assert.Equal(new LoadReport(null, null, 1000, null), load.Report);
        Assert.Equal("pull http://10.0.1.5:8404/stats;csv", load.Source);
        // report-ttl 10s is below 3 × 5s: the report counts 15 s.
        Close(TimeSpan.FromSeconds(15), rig.Time.GetElapsedTime(rig.Time.GetTimestamp(), load.ExpiresAt), TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromSeconds(15), new LoadPoll(Eu, new LoadPullSpec(null, "a:1", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), null), TimeSpan.FromSeconds(10)).Ttl);
        Assert.Equal(TimeSpan.FromSeconds(30), new LoadPoll(Eu, new LoadPullSpec(null, "a:1", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), null), TimeSpan.FromSeconds(30)).Ttl);
    }

    [Fact]
    public async Task TtlInTheBody_Overrides()
    {
        await using var rig = new Rig();
        rig.Fetcher.Behaviour["10.0.1.5"] = (_, _) => Task.FromResult(LoadPollResult.Of(new LoadReport(0.5, null, null, null), TimeSpan.FromSeconds(42)));
        rig.Serve(Policy());
        await rig.RunAsync(TimeSpan.FromSeconds(2), () => rig.State.LoadOf(Eu) is not null);
        var load = rig.State.LoadOf(Eu)!.Value.Load;
        Close(TimeSpan.FromSeconds(42), rig.Time.GetElapsedTime(rig.Time.GetTimestamp(), load.ExpiresAt), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task FailingPolls_AreLoggedOnce_TheReportExpires_RecoveryIsLoggedOnce()
    {
        await using var rig = new Rig();
        rig.Serve(Policy());
        await rig.RunAsync(TimeSpan.FromSeconds(2), () => rig.State.LoadOf(Eu) is not null);
        bool fail = true;
        rig.Fetcher.Behaviour["10.0.1.5"] = (_, _) => Task.FromResult(fail ? LoadPollResult.Fail("HTTP 503 Service Unavailable") : LoadPollResult.Of(new LoadReport(null, null, 10, null)));
        // 15 s ttl: still valid after two failed polls, gone after the third.
        await rig.RunAsync(TimeSpan.FromSeconds(11));
        Assert.True(rig.State.LoadOf(Eu)!.Value.Valid);
        await rig.RunAsync(TimeSpan.FromSeconds(10), () => !rig.State.LoadOf(Eu)!.Value.Valid);
        Assert.False(rig.State.LoadOf(Eu)!.Value.Valid);
        await rig.RunAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, rig.Logger.Count(LogLevel.Warning, "HTTP 503 Service Unavailable"));
        Assert.True(rig.Puller.Snapshot().Single(p => p.Poll.Region == Eu).Failing);

        fail = false;
        await rig.RunAsync(TimeSpan.FromSeconds(6), () => rig.State.LoadOf(Eu)!.Value.Valid);
        await rig.RunAsync(TimeSpan.FromSeconds(11));
        Assert.True(rig.State.LoadOf(Eu)!.Value.Valid);
        Assert.Equal(1, rig.Logger.Count(LogLevel.Information, "answers again"));
        Assert.Equal(1, rig.Logger.Count(LogLevel.Warning, "failing"));
    }

    [Fact]
    public async Task AHungPoll_FailsAtItsTimeout()
    {
        await using var rig = new Rig();
        rig.Fetcher.Behaviour["10.0.1.5"] = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        };
        rig.Serve(Policy());
        await rig.RunAsync(TimeSpan.FromSeconds(4), () => rig.Logger.Count(LogLevel.Warning, "timeout 2000 ms") > 0);
        Assert.Equal(1, rig.Logger.Count(LogLevel.Warning, "timeout 2000 ms"));
        Assert.Null(rig.State.LoadOf(Eu));
    }

    [Fact]
    public async Task AgentWords_DrainAndUndrain_TheDrainGoesWithThePoller()
    {
        await using var rig = new Rig();
        string line = "75%";
        rig.Fetcher.Behaviour["10.0.2.5:9999"] = (_, _) =>
        {
            Assert.True(AgentLine.TryParse(line, out var reply, out _));
            return Task.FromResult(new LoadPollResult(null, reply.Utilization is { } u ? new LoadReport(null, null, null, null, u) : null, null, reply));
        };
        rig.Serve(Policy());
        await rig.RunAsync(TimeSpan.FromSeconds(2), () => rig.State.LoadOf(Us) is not null);
        Assert.Equal(0.25, rig.State.LoadOf(Us)!.Value.Load.Report.Utilization);
        Assert.Equal("agent 10.0.2.5:9999", rig.State.LoadOf(Us)!.Value.Load.Source);
        Assert.Equal(AdminRegionState.Active, rig.State.AdminOf(Us));

        line = "down";
        await rig.RunAsync(TimeSpan.FromSeconds(6), () => rig.State.AdminOf(Us) == AdminRegionState.Drain);
        Assert.Equal(AdminRegionState.Drain, rig.State.AdminOf(Us));
        Assert.True(rig.State.PulledDrainOf(Us));
        await rig.RunAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, rig.Logger.Count(LogLevel.Warning, "says 'down'"));

        line = "up 60%";
        await rig.RunAsync(TimeSpan.FromSeconds(6), () => rig.State.AdminOf(Us) == AdminRegionState.Active);
        Assert.Equal(AdminRegionState.Active, rig.State.AdminOf(Us));
        Assert.Equal(1, rig.Logger.Count(LogLevel.Information, "drain is cleared"));

        line = "drain";
        await rig.RunAsync(TimeSpan.FromSeconds(6), () => rig.State.AdminOf(Us) == AdminRegionState.Drain);
        Assert.Equal(AdminRegionState.Drain, rig.State.AdminOf(Us));
        // The region leaves pull mode: its agent's drain goes with the poller.
        rig.Serve(Policy(usLoad: "{ }").Replace("load: { },", "").Replace(", load: { }", ""));
        Assert.Equal(AdminRegionState.Active, rig.State.AdminOf(Us));
        Assert.False(rig.State.PulledDrainOf(Us));
    }

    [Fact]
    public async Task PulledDrain_CombinesWithApiDrains_AndTheFileWins()
    {
        using var state = new RegionStateStore(new FakeTimeProvider());
        state.SetPulledDrain(Us, true);
        Assert.Equal(AdminRegionState.Drain, state.AdminOf(Us));
        state.SetApiDrains([Us]);
        state.SetPulledDrain(Us, false);
        Assert.Equal(AdminRegionState.Drain, state.AdminOf(Us));
        state.SetApiDrains([]);
        Assert.Equal(AdminRegionState.Active, state.AdminOf(Us));
        state.SetPulledDrain(Us, true);
        state.SetAdmin(new Dictionary<RegionKey, AdminRegionState> { [Us] = AdminRegionState.Down });
        Assert.Equal(AdminRegionState.Down, state.AdminOf(Us));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Reload_KeepsAnUnchangedPoller_RestartsAChangedOne_StopsARemovedOne()
    {
        await using var rig = new Rig();
        rig.Serve(Policy());
        await rig.RunAsync(TimeSpan.FromSeconds(12));
        int euPolls = rig.Fetcher.At("10.0.1.5").Length;
        Assert.Equal(3, euPolls);

        // Same specs, another report-ttl: the pollers poll on (no extra poll), with the new ttl.
        rig.Serve(Policy(reportTtl: "60s"));
        Assert.Equal(2, rig.Puller.Snapshot().Count);
        await rig.RunAsync(TimeSpan.FromSeconds(5), () => rig.Fetcher.At("10.0.1.5").Length > euPolls);
        var at = rig.Fetcher.At("10.0.1.5");
        Assert.Equal(euPolls + 1, at.Length);
        Close(TimeSpan.FromSeconds(5), at[^1] - at[^2], TimeSpan.FromMilliseconds(60));
        var load = rig.State.LoadOf(Eu)!.Value.Load;
        Close(TimeSpan.FromSeconds(60), rig.Time.GetElapsedTime(rig.Time.GetTimestamp(), load.ExpiresAt), TimeSpan.FromMilliseconds(100));

        // eu's load block removed: no more polls of it.
        rig.Serve(Policy().Replace(", load: { pull: \"http://10.0.1.5:8404/stats;csv\", interval: 5s, timeout: 2s, backend: web }", ""));
        Assert.Single(rig.Puller.Snapshot());
        int before = rig.Fetcher.At("10.0.1.5").Length;
        int usBefore = rig.Fetcher.At("10.0.2.5:9999").Length;
        await rig.RunAsync(TimeSpan.FromSeconds(12));
        Assert.Equal(before, rig.Fetcher.At("10.0.1.5").Length);
        Assert.True(rig.Fetcher.At("10.0.2.5:9999").Length >= usBefore + 2);
    }
}
