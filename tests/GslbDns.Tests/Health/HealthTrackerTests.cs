using GslbDns.Health;
using GslbDns.Health.Probes;
using GslbDns.Steering.State;

namespace GslbDns.Tests.Health;

public class HealthTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ProbeResult Ok = ProbeResult.Ok("HTTP 200", TimeSpan.FromMilliseconds(1));
    private static readonly ProbeResult Refused = ProbeResult.Fail("connect refused", TimeSpan.FromMilliseconds(1));

    private static HealthTracker Tracker(HealthStatus initial = HealthStatus.Up) =>
        new(new HealthCheckSpec { Kind = CheckKind.Tcp, Rise = 2, Fall = 3, Initial = initial }, T0);

    [Fact]
    public void FallFailuresInARow_MakeItDown_WithTheFailureAsReason()
    {
        var tracker = Tracker();
        Assert.False(tracker.Record(Refused, T0.AddSeconds(1)));
        Assert.True(tracker.Changing);
        Assert.False(tracker.Record(Refused, T0.AddSeconds(2)));
        Assert.True(tracker.Record(Refused, T0.AddSeconds(3)));
        Assert.Equal(HealthStatus.Down, tracker.Status);
        Assert.Equal(T0.AddSeconds(3), tracker.Since);
        Assert.Equal("connect refused", tracker.Reason);
        Assert.False(tracker.Changing);
    }

    [Fact]
    public void RiseSuccessesInARow_BringItBack()
    {
        var tracker = Tracker(HealthStatus.Down);
        Assert.False(tracker.Record(Ok, T0));
        Assert.True(tracker.Changing);
        Assert.True(tracker.Record(Ok, T0.AddSeconds(1)));
        Assert.Equal(HealthStatus.Up, tracker.Status);
    }

    [Fact]
    public void AlternatingResults_NeverChangeTheVerdict()
    {
        var up = Tracker();
        var down = Tracker(HealthStatus.Down);
        for (int i = 0; i < 200; i++)
        {
            var result = i % 2 == 0 ? Refused : Ok;
            Assert.False(up.Record(result, T0.AddSeconds(i)));
            Assert.False(down.Record(result, T0.AddSeconds(i)));
        }
        Assert.Equal(HealthStatus.Up, up.Status);
        Assert.Equal(HealthStatus.Down, down.Status);
    }

    [Fact]
    public void Unknown_IsDecidedByWhicheverRunCompletesFirst()
    {
        var tracker = Tracker(HealthStatus.Unknown);
        Assert.True(tracker.Changing);
        tracker.Record(Refused, T0);
        tracker.Record(Refused, T0);
        Assert.Equal(HealthStatus.Unknown, tracker.Status);
        Assert.True(tracker.Record(Refused, T0));
        Assert.Equal(HealthStatus.Down, tracker.Status);
    }

    [Fact]
    public void AFailureBreaksASuccessRun()
    {
        var tracker = Tracker(HealthStatus.Down);
        tracker.Record(Ok, T0);
        tracker.Record(Refused, T0);
        Assert.Equal(0, tracker.Successes);
        Assert.False(tracker.Record(Ok, T0));
        Assert.Equal(HealthStatus.Down, tracker.Status);
    }
}
