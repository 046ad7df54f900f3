using GslbDns.Observability;
using Microsoft.Extensions.Logging;

namespace GslbDns.Load;

/// <summary>
/// One region's polling loop. Polls start to start every interval (give or take a little jitter), each
/// cut at the spec's timeout, so polls never pile up. A good poll stores its report; a failed one stores
/// nothing and the last report runs out at its ttl. The log says when polling starts failing (and why)
/// and when it works again, not every poll.
/// </summary>
internal sealed class RegionPoller(LoadPuller owner, LoadPoll poll) : Hosting.BackgroundLoop
{
    private readonly object _gate = new();
    private bool _stopped;
    private bool _failing;
    private AgentState _agentState;
    private bool _drained;
    private TimeSpan? _lastTtl;

    /// <summary>The poll as the latest reload gives it (its report-ttl and timeout may change under the same identity).</summary>
    public LoadPoll Poll { get; set; } = poll;

    /// <summary>Polls done, for tests and diagnostics.</summary>
    public int Polls;

    public bool Failing
    {
        get
        {
            lock (_gate) return _failing;
        }
    }

    /// <summary>Stops polling; a drain the agent set goes with the poller (the region left pull mode).</summary>
    public override void Stop()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
            if (_drained) owner.State.SetPulledDrain(Poll.Region, false);
            _drained = false;
        }
        base.Stop();
    }

    protected override async Task RunAsync(CancellationToken token)
    {
        var time = owner.Time;
        try
        {
            await Task.Delay(owner.FirstDelay(Poll.Spec.Interval), time, token).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                long start = time.GetTimestamp();
                var current = Poll;
                var result = await PollOnceAsync(current, token).ConfigureAwait(false);
                Interlocked.Increment(ref Polls);
                Apply(current, result);
                var wait = owner.Period(current.Spec.Interval) - time.GetElapsedTime(start);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<LoadPollResult> PollOnceAsync(LoadPoll current, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(current.Spec.Timeout, owner.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        try
        {
            return await owner.Fetcher.FetchAsync(current.Spec, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !token.IsCancellationRequested)
        {
            return LoadPollResult.Fail($"timeout {current.Spec.Timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A source reports what it can name as a failure; anything else is still one failed poll.
            return LoadPollResult.Fail(ex.Message);
        }
    }

    private void Apply(LoadPoll current, LoadPollResult result)
    {
        var logger = owner.Logger;
        string region = current.Region.ToString();
        lock (_gate)
        {
            // A poll that lands after its poller was stopped must not bring back what Stop cleared.
            if (_stopped) return;
            if (!result.Ok)
            {
                if (!_failing) Log.LoadPullFailing(logger, region, current.Source, result.Failure!, Health.Durations.Format(_lastTtl ?? current.Ttl));
                _failing = true;
                return;
            }
            if (_failing) Log.LoadPullRecovered(logger, region, current.Source);
            _failing = false;
            if (result.Report is { } report)
            {
                _lastTtl = result.Ttl ?? current.Ttl;
                owner.State.SetLoad(current.Region, report, _lastTtl.Value, current.Source);
            }
            if (result.Agent is not { State: not AgentState.None } agent) return;
            if (agent.State != _agentState)
            {
                switch (agent.State)
                {
                    case AgentState.Down:
                        Log.LoadAgentDown(logger, region, current.Source, agent.Word!);
                        break;
                    case AgentState.Drain:
                        Log.LoadAgentDrain(logger, region, current.Source, agent.Word!);
                        break;
                    case AgentState.Up when _drained:
                        Log.LoadAgentUp(logger, region, current.Source, agent.Word!);
                        break;
                }
                _agentState = agent.State;
            }
            if (agent.Drained is { } drained && drained != _drained)
            {
                _drained = drained;
                owner.State.SetPulledDrain(current.Region, drained);
            }
        }
    }
}
