using GslbDns.Health.Probes;
using GslbDns.Observability;
using GslbDns.Steering.State;
using GslbDns.Zones;
using Microsoft.Extensions.Logging;

namespace GslbDns.Health;

/// <summary>
/// Runs every check the served policies declare, off the query path, and feeds the verdicts into
/// the <see cref="RegionStateStore"/>. Follows reloads through <see cref="Sync"/>: a check whose key is
/// unchanged keeps its tracker and schedule, removed ones stop, new ones start at <c>initial</c> with a
/// random offset into their interval so hundreds of addresses do not fire together. A bounded number of
/// probes run at once; each is cut at its timeout, so a hung one never stalls the others.
/// </summary>
public sealed class HealthMonitor : IAsyncDisposable
{
    /// <summary>Probes in flight across all checks.</summary>
    public const int MaxInFlight = 256;

    private readonly RegionStateStore _state;
    private readonly ProbeSet _probes;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly ILogger<HealthMonitor> _logger;
    private readonly SemaphoreSlim _slots = new(MaxInFlight);
    private readonly Hosting.LoopSet<HealthCheckKey, RunningCheck> _checks = new();

    public HealthMonitor(RegionStateStore state, ProbeSet probes, TimeProvider time, ILogger<HealthMonitor> logger,
        Random? random = null)
    {
        _state = state;
        _probes = probes;
        _time = time;
        _random = random ?? Random.Shared;
        _logger = logger;
    }

    /// <summary>Every running check with its verdict, for the API and explain.</summary>
    public IReadOnlyList<HealthCheckView> Snapshot()
    {
        return _checks.Running.Select(r => r.View()).OrderBy(v => v.Check.Key.Service.ToString(), StringComparer.Ordinal)
            .ThenBy(v => v.Check.Key.Region, StringComparer.Ordinal).ThenBy(v => v.Check.Key.Endpoint.ToString(), StringComparer.Ordinal).ToArray();
    }

    /// <summary>Brings the running checks in line with the zone set now served.</summary>
    public void Sync(ZoneSet zones)
    {
        var wanted = HealthCheckPlan.From(zones);
        _checks.Sync(wanted.Select(c => (c.Key, c)),
            check => new RunningCheck(this, check, new HealthTracker(check.Spec, _time.GetUtcNow())),
            (running, check) => running.Check = check,
            (started, stopped) =>
            {
                var stillChecked = wanted.SelectMany(c => c.Addresses).ToHashSet();
                _state.ForgetHealth(stopped.SelectMany(c => c.Check.Addresses).Where(a => !stillChecked.Contains(a)));
                // A new check starts at its initial verdict, also where an older check of the address said otherwise.
                var initial = started.SelectMany(c => c.Check.Addresses.Select(a => (a, c.Check.Spec.Initial))).ToArray();
                if (initial.Length > 0) _state.SetHealth(initial, TimeSpan.Zero, "check started");
            });
    }

    private void Apply(RunningCheck check, HealthStatus old, HealthStatus now, string reason)
    {
        var spec = check.Check.Spec;
        Log.HealthChanged(_logger, check.Check.Key.Endpoint.ToString(), check.Check.Key.Service.ToString(), check.Check.Key.Region,
            Text(old), Text(now), reason);
        var hold = TimeSpan.FromTicks(spec.Interval.Ticks * spec.Fall);
        _state.SetHealth(check.Check.Addresses.Select(a => (a, now)).ToArray(), hold, reason);
    }

    public static string Text(HealthStatus status) => status.ToString().ToLowerInvariant();

    public ValueTask DisposeAsync() => _checks.DisposeAsync();

    /// <summary>One check's loop: schedules probes start to start, so a slow (timing-out) probe does not delay the next.</summary>
    private sealed class RunningCheck(HealthMonitor owner, HealthCheck check, HealthTracker tracker) : Hosting.BackgroundLoop
    {
        private readonly object _gate = new();

        public HealthCheck Check { get; set; } = check;

        public HealthCheckView View()
        {
            lock (_gate)
            {
                return new HealthCheckView(Check, tracker.Status, tracker.Since, tracker.Last, tracker.LastAt, tracker.Successes,
                    tracker.Failures, tracker.Reason, tracker.Stats);
            }
        }

        protected override async Task RunAsync(CancellationToken token)
        {
            var time = owner._time;
            var spec = Check.Spec;
            if (!owner._probes.TryGet(spec.Kind, out var probe)) return;
            var inFlight = new List<Task>();
            try
            {
                // Spread first probes over the interval.
                double jitter;
                lock (owner._random) jitter = owner._random.NextDouble();
                await Task.Delay(TimeSpan.FromTicks((long)(spec.Interval.Ticks * jitter)), time, token).ConfigureAwait(false);
                while (!token.IsCancellationRequested)
                {
                    long start = time.GetTimestamp();
                    await owner._slots.WaitAsync(token).ConfigureAwait(false);
                    var probing = ProbeOnceAsync(probe, token);
                    inFlight.Add(probing);
                    // Wait for the next start: interval, or fast-interval while the verdict is changing,
                    // re-decided as soon as this probe's result is in.
                    while (true)
                    {
                        var delay = NextDelay() - time.GetElapsedTime(start);
                        if (delay <= TimeSpan.Zero) break;
                        var sleeping = Task.Delay(delay, time, token);
                        if (probing.IsCompleted)
                        {
                            await sleeping.ConfigureAwait(false);
                            break;
                        }
                        if (await Task.WhenAny(sleeping, probing).ConfigureAwait(false) == sleeping)
                        {
                            await sleeping.ConfigureAwait(false);
                            break;
                        }
                    }
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
            }
            catch (OperationCanceledException)
            {
            }
            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }

        private TimeSpan NextDelay()
        {
            var spec = Check.Spec;
            lock (_gate) return tracker.Changing && spec.FastInterval is { } fast ? fast : spec.Interval;
        }

        private async Task ProbeOnceAsync(IHealthProbe probe, CancellationToken token)
        {
            var time = owner._time;
            var spec = Check.Spec;
            long started = time.GetTimestamp();
            ProbeResult result;
            try
            {
                using var timeout = new CancellationTokenSource(spec.Timeout, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
                try
                {
                    result = await probe.ProbeAsync(new ProbeTarget(Check.Key.Endpoint, spec, Check.ServiceName), linked.Token)
                        .ConfigureAwait(false);
                    if (timeout.IsCancellationRequested && !result.Success) result = TimedOut(time.GetElapsedTime(started));
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !token.IsCancellationRequested)
                {
                    result = TimedOut(time.GetElapsedTime(started));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A probe reports failures as results; anything else is still a failed probe, not a crash.
                    result = ProbeResult.Fail("probe error: " + ex.Message, time.GetElapsedTime(started));
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                owner._slots.Release();
            }
            if (token.IsCancellationRequested) return;
            HealthStatus old, now;
            bool changed;
            lock (_gate)
            {
                old = tracker.Status;
                changed = tracker.Record(result, time.GetUtcNow());
                now = tracker.Status;
            }
            if (changed) owner.Apply(this, old, now, result.Detail);
        }

        private ProbeResult TimedOut(TimeSpan elapsed) =>
            ProbeResult.Fail($"timeout {Check.Spec.Timeout.TotalMilliseconds:0} ms", elapsed);
    }
}

/// <summary>A check and its verdict at one moment.</summary>
public sealed record HealthCheckView(HealthCheck Check, HealthStatus Status, DateTimeOffset Since, ProbeResult? Last,
    DateTimeOffset? LastAt, int Successes, int Failures, string Reason, ProbeStats? Stats = null);
