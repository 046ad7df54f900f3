using GslbDns.Hosting;

namespace GslbDns.Configuration;

/// <summary>
/// Turns reload requests (file-watcher events, SIGHUP, polls) into reloads on a thread of its own: a
/// burst of requests within <see cref="Debounce"/> gives one reload, after the writer is done. A
/// failing reload is reported and the loop goes on, so a bad file never takes the server down.
/// The thread runs at a lower priority than the UDP threads: a reload of a million records is
/// seconds of CPU, and on a busy core it should wait for answering, not the other way round.
/// </summary>
internal sealed class DebouncedReload(Action reload, Action<Exception> failed) : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    /// <summary>The reload thread's nice value (0 is the process's default, 19 the lowest).</summary>
    public const int Nice = 10;

    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Start()
    {
        _thread = new Thread(() => Run(_stopping.Token)) { IsBackground = true, Name = "zone reload" };
        _thread.Start();
    }

    /// <summary>Asks for a reload; many requests in a short time give one.</summary>
    public void Request()
    {
        if (_signal.CurrentCount < 8) _signal.Release();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_thread is not null) await _stopped.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Run(CancellationToken stopping)
    {
        ThreadNice.Lower(Nice);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                try
                {
                    _signal.Wait(stopping);
                    if (stopping.WaitHandle.WaitOne(Debounce)) return;
                    while (_signal.CurrentCount > 0) _signal.Wait(stopping);
                    reload();
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception ex)
                {
                    failed(ex);
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _signal.Dispose();
    }
}
