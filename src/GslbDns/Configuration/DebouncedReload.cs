namespace GslbDns.Configuration;

/// <summary>
/// Turns reload requests (file-watcher events, SIGHUP, polls) into reloads on a loop of its own: a
/// burst of requests within <see cref="Debounce"/> gives one reload, after the writer is done. A
/// failing reload is reported and the loop goes on, so a bad file never takes the server down.
/// </summary>
internal sealed class DebouncedReload(Action reload, Action<Exception> failed) : IDisposable
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);

    /// <summary>Asks for a reload; many requests in a short time give one.</summary>
    public void Request()
    {
        if (_signal.CurrentCount < 8) _signal.Release();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(stopping).ConfigureAwait(false);
                await Task.Delay(Debounce, stopping).ConfigureAwait(false);
                while (_signal.CurrentCount > 0) await _signal.WaitAsync(stopping).ConfigureAwait(false);
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

    public void Dispose()
    {
        _stopping.Dispose();
        _signal.Dispose();
    }
}
