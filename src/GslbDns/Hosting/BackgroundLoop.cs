namespace GslbDns.Hosting;

/// <summary>
/// One loop of a <see cref="LoopSet{TKey, TLoop}"/> (a health check, a load poller): runs on the
/// thread pool from <see cref="Start"/> until <see cref="Stop"/> or until its set is disposed.
/// </summary>
public abstract class BackgroundLoop
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Done when the loop has ended (after a stop, with everything it started).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start(CancellationToken stopping)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, _stop.Token);
        Completion = Task.Run(async () =>
        {
            using (linked) await RunAsync(linked.Token).ConfigureAwait(false);
            _stop.Dispose();
        }, CancellationToken.None);
    }

    /// <summary>Asks the loop to end; <see cref="Completion"/> says when it has.</summary>
    public virtual void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The loop has already ended.
        }
    }

    /// <summary>The loop itself: returns when <paramref name="token"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken token);
}
