using GslbDns.Protocol;
using System.Collections.Concurrent;
using System.Net;
using GslbDns.Health;
using GslbDns.Health.Probes;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GslbDns.Tests.Health;

/// <summary>The scheduler on a fake clock with scripted probes: intervals, fast-interval, timeouts, stopping.</summary>
public class HealthMonitorTests
{
    private const string Zone = """
        $ORIGIN example.com.
        @       3600 SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       3600 NS    ns1
        ns1     3600 A     192.0.2.53
        a.www   60   A     127.0.0.11
        a.www   60   A     127.0.0.12
        """;

    private const string Policy = """
        services:
          www:
            health: { check: tcp, port: 80, interval: 1s, fast-interval: 250ms, timeout: 500ms, rise: 2, fall: 3 }
            regions:
              a: { target: a.www }
            topology:
              - default: [a]
        """;

    private static readonly DnsName Www = DnsName.Parse("www.example.com.");

    /// <summary>A probe whose answer per address the test sets; "hang" waits for cancellation.</summary>
    private sealed class ScriptedProbe(FakeTimeProvider time) : IHealthProbe
    {
        public readonly ConcurrentDictionary<string, string> Behaviour = new();
        public readonly ConcurrentQueue<(string Address, TimeSpan At)> Calls = new();
        private readonly DateTimeOffset _start = time.GetUtcNow();

        public CheckKind Kind => CheckKind.Tcp;

        public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellation)
        {
            var address = target.Endpoint.Address.ToString();
            Calls.Enqueue((address, time.GetUtcNow() - _start));
            switch (Behaviour.GetValueOrDefault(address, "ok"))
            {
                case "hang":
                    await Task.Delay(Timeout.Infinite, cancellation);
                    throw new InvalidOperationException("unreachable");
                case "fail":
                    return ProbeResult.Fail("connect refused", TimeSpan.Zero);
                default:
                    return ProbeResult.Ok("connected", TimeSpan.Zero);
            }
        }
    }

    private static ZoneSet Served(RegionStateStore state)
    {
        var origin = DnsName.Parse("example.com.");
        var read = MasterFileReader.ReadText(Zone, "example.com.zone", origin);
        Assert.Empty(read.Problems);
        var zone = ZoneCompiler.Compile(origin, read.Records, "example.com.zone");
        var (document, problems) = PolicyReader.ReadText(Policy, "example.com.gslb.yaml", origin);
        Assert.Empty(problems);
        return new ZoneSet([new ServedZone(zone, SteeringCompiler.Compile(document!, zone, GeoDatabaseSet.Empty, state))]);
    }

    private static UInt128 Bits(string address) => AddressFilter.AddressOf(IPAddress.Parse(address).GetAddressBytes());

    /// <summary>Moves the fake clock in 10 ms steps, giving the monitor's loops a moment of real time after each.</summary>
    private static async Task RunAsync(FakeTimeProvider time, TimeSpan span, Func<bool>? until = null)
    {
        for (var done = TimeSpan.Zero; done < span; done += TimeSpan.FromMilliseconds(10))
        {
            if (until?.Invoke() == true) return;
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(2);
        }
    }

    [Fact]
    public async Task AFailingAddress_IsProbedAtFastInterval_AndDownAfterFallFailures_TheOtherKeepsItsInterval()
    {
        var time = new FakeTimeProvider();
        using var state = new RegionStateStore(time);
        var probe = new ScriptedProbe(time);
        await using var monitor = new HealthMonitor(state, new ProbeSet([probe]), time, NullLogger<HealthMonitor>.Instance, new Random(7));
        monitor.Sync(Served(state));
        await RunAsync(time, TimeSpan.FromSeconds(3));

        probe.Behaviour["127.0.0.11"] = "fail";
        var failedFrom = time.GetUtcNow();
        var down = new AddressKey(Www, "a", Bits("127.0.0.11"));
        await RunAsync(time, TimeSpan.FromSeconds(5), () => state.HealthOf(down) == HealthStatus.Down);
        Assert.Equal(HealthStatus.Down, state.HealthOf(down));
        // First failure within one interval of the change, then fall - 1 more at fast-interval.
        var elapsed = time.GetUtcNow() - failedFrom;
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1000 + 500 + 300));

        var calls = probe.Calls.ToArray();
        var failing = calls.Where(c => c.Address == "127.0.0.11").Select(c => c.At).TakeLast(3).ToArray();
        Assert.All(failing.Zip(failing.Skip(1)), gap => Assert.InRange(gap.Second - gap.First, TimeSpan.FromMilliseconds(240), TimeSpan.FromMilliseconds(600)));
        var healthy = calls.Where(c => c.Address == "127.0.0.12").Select(c => c.At).ToArray();
        Assert.All(healthy.Zip(healthy.Skip(1)), gap => Assert.InRange(gap.Second - gap.First, TimeSpan.FromMilliseconds(990), TimeSpan.FromMilliseconds(1400)));
        Assert.Equal(HealthStatus.Up, state.HealthOf(new AddressKey(Www, "a", Bits("127.0.0.12"))));
    }

    [Fact]
    public async Task AHungProbe_FailsAtItsTimeout_AndNeverStallsTheOthers()
    {
        var time = new FakeTimeProvider();
        using var state = new RegionStateStore(time);
        var probe = new ScriptedProbe(time);
        probe.Behaviour["127.0.0.11"] = "hang";
        await using var monitor = new HealthMonitor(state, new ProbeSet([probe]), time, NullLogger<HealthMonitor>.Instance, new Random(3));
        monitor.Sync(Served(state));
        var hung = new AddressKey(Www, "a", Bits("127.0.0.11"));
        await RunAsync(time, TimeSpan.FromSeconds(6), () => state.HealthOf(hung) == HealthStatus.Down);
        Assert.Equal(HealthStatus.Down, state.HealthOf(hung));
        var view = monitor.Snapshot().Single(v => v.Check.Key.Endpoint.Address.ToString() == "127.0.0.11");
        Assert.Equal("timeout 500 ms", view.Reason);
        int before = probe.Calls.Count(c => c.Address == "127.0.0.12");
        await RunAsync(time, TimeSpan.FromSeconds(3));
        Assert.InRange(probe.Calls.Count(c => c.Address == "127.0.0.12") - before, 2, 4);
        Assert.Equal(HealthStatus.Up, state.HealthOf(new AddressKey(Www, "a", Bits("127.0.0.12"))));
    }

    [Fact]
    public async Task SyncWithoutTheChecks_StopsProbing_AndForgetsTheVerdicts()
    {
        var time = new FakeTimeProvider();
        using var state = new RegionStateStore(time);
        var probe = new ScriptedProbe(time);
        probe.Behaviour["127.0.0.11"] = "fail";
        await using var monitor = new HealthMonitor(state, new ProbeSet([probe]), time, NullLogger<HealthMonitor>.Instance, new Random(5));
        monitor.Sync(Served(state));
        var key = new AddressKey(Www, "a", Bits("127.0.0.11"));
        await RunAsync(time, TimeSpan.FromSeconds(4), () => state.HealthOf(key) == HealthStatus.Down);
        Assert.Equal(HealthStatus.Down, state.HealthOf(key));

        monitor.Sync(ZoneSet.Empty);
        Assert.Empty(monitor.Snapshot());
        Assert.Equal(HealthStatus.Unknown, state.HealthOf(key));
        await RunAsync(time, TimeSpan.FromMilliseconds(600));
        int calls = probe.Calls.Count;
        await RunAsync(time, TimeSpan.FromSeconds(3));
        Assert.Equal(calls, probe.Calls.Count);
    }
}
