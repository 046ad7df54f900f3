using GslbDns.Health.Probes;
using GslbDns.Steering.State;

namespace GslbDns.Health;

/// <summary>
/// The verdict of one check with rise/fall hysteresis: <c>rise</c> successes in a row make it up,
/// <c>fall</c> failures in a row make it down, and any opposite result resets the run, so an LB that
/// alternates on every probe never changes state (rise 2 / fall 3 cannot both be met). Not thread-safe:
/// the scheduler serialises results per check.
/// </summary>
public sealed class HealthTracker
{
    private readonly HealthCheckSpec _spec;

    public HealthTracker(HealthCheckSpec spec, DateTimeOffset now)
    {
        _spec = spec;
        Status = spec.Initial;
        Since = now;
    }

    public HealthStatus Status { get; private set; }

    /// <summary>When <see cref="Status"/> last changed (or the check started).</summary>
    public DateTimeOffset Since { get; private set; }

    /// <summary>Successes in a row (0 after a failure).</summary>
    public int Successes { get; private set; }

    /// <summary>Failures in a row (0 after a success).</summary>
    public int Failures { get; private set; }

    public ProbeResult? Last { get; private set; }

    /// <summary>Every result counted by outcome and duration, for the metrics.</summary>
    public ProbeStats Stats { get; } = new();

    public DateTimeOffset? LastAt { get; private set; }

    /// <summary>The last result that changed the verdict: the reason logged and shown.</summary>
    public string Reason { get; private set; } = "initial";

    /// <summary>
    /// A run towards the other verdict has started (a failure while up, a success while down, any
    /// result while unknown): the scheduler probes at fast-interval until it is settled.
    /// </summary>
    public bool Changing => Status switch
    {
        HealthStatus.Up => Failures > 0,
        HealthStatus.Down => Successes > 0,
        _ => true,
    };

    /// <summary>Counts one result; returns true when the verdict changed.</summary>
    public bool Record(ProbeResult result, DateTimeOffset at)
    {
        Last = result;
        LastAt = at;
        Stats.Record(result);
        if (result.Success)
        {
            Successes++;
            Failures = 0;
        }
        else
        {
            Failures++;
            Successes = 0;
        }
        var next = Status;
        if (result.Success && Status != HealthStatus.Up && Successes >= _spec.Rise) next = HealthStatus.Up;
        else if (!result.Success && Status != HealthStatus.Down && Failures >= _spec.Fall) next = HealthStatus.Down;
        if (next == Status) return false;
        Status = next;
        Since = at;
        Reason = result.Detail;
        return true;
    }
}
