namespace GslbDns.Hosting;

/// <summary>
/// The loops a component runs for what the served zones ask (one per health check, one per pulled
/// region), keyed by name so a reload keeps the loops whose key it keeps: <see cref="Sync"/> stops
/// the loops no longer wanted, starts new ones and hands the kept ones their new settings.
/// </summary>
internal sealed class LoopSet<TKey, TLoop> : IAsyncDisposable
    where TKey : notnull
    where TLoop : BackgroundLoop
{
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<TKey, TLoop> _running = [];
    private bool _disposed;

    /// <summary>The loops running now.</summary>
    public TLoop[] Running
    {
        get
        {
            lock (_gate) return [.. _running.Values];
        }
    }

    /// <summary>
    /// Brings the loops in line with <paramref name="wanted"/>: a key still wanted keeps its loop
    /// (<paramref name="update"/> gives it the new item), a new key gets <paramref name="create"/>'s,
    /// the others are stopped. <paramref name="beforeStart"/> runs once the stopped loops are told to
    /// stop and before the new ones start. Nothing happens after <see cref="DisposeAsync"/>.
    /// </summary>
    public (IReadOnlyList<TLoop> Started, IReadOnlyList<TLoop> Stopped) Sync<TItem>(IEnumerable<(TKey Key, TItem Item)> wanted,
        Func<TItem, TLoop> create, Action<TLoop, TItem> update, Action<IReadOnlyList<TLoop>, IReadOnlyList<TLoop>>? beforeStart = null)
    {
        var started = new List<TLoop>();
        List<TLoop> stopped;
        lock (_gate)
        {
            if (_disposed) return ([], []);
            var next = new Dictionary<TKey, TLoop>();
            foreach (var (key, item) in wanted)
            {
                if (next.ContainsKey(key)) continue;
                if (_running.TryGetValue(key, out var existing)) update(existing, item);
                else started.Add(existing = create(item));
                next[key] = existing;
            }
            stopped = _running.Where(r => !next.ContainsKey(r.Key)).Select(r => r.Value).ToList();
            _running = next;
        }
        foreach (var loop in stopped) loop.Stop();
        beforeStart?.Invoke(started, stopped);
        foreach (var loop in started) loop.Start(_stopping.Token);
        return (started, stopped);
    }

    /// <summary>Stops every loop and waits until they have ended.</summary>
    public async ValueTask DisposeAsync()
    {
        TLoop[] running;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            running = [.. _running.Values];
            _running = [];
        }
        _stopping.Cancel();
        foreach (var loop in running) loop.Stop();
        await Task.WhenAll(running.Select(r => r.Completion)).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
