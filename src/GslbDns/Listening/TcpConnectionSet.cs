namespace GslbDns.Listening;

/// <summary>
/// The open TCP connections of all endpoints: enforces the connection limit and the limit per client
/// address (so one client cannot take every slot), closes connections whose deadline passed (one
/// shared timer instead of a timer per connection) and closes them all on shutdown.
/// </summary>
internal sealed class TcpConnectionSet : IDisposable
{
    private readonly object _gate = new();
    private readonly HashSet<TcpConnection> _open = [];
    private readonly List<TcpConnection> _expired = [];
    private readonly Dictionary<UInt128, int> _perClient = [];
    private readonly int _limit;
    private readonly int _clientLimit;
    private readonly Timer _sweep;
    private bool _closed;
    private long _refused;
    private long _refusedPerClient;

    public TcpConnectionSet(int limit, TimeSpan idleTimeout, int clientLimit = int.MaxValue)
    {
        _limit = limit;
        _clientLimit = clientLimit;
        // Deadlines are enforced to within a quarter of the timeout (at most 1 s late).
        var period = TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));
        _sweep = new Timer(_ => CutExpired(), null, period, period);
    }

    public int Limit => _limit;

    /// <summary>Connections turned away because <see cref="Limit"/> connections were open.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections turned away because their client address already had its share open.</summary>
    public long RefusedPerClient => Interlocked.Read(ref _refusedPerClient);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Registers and starts <paramref name="connection"/>, or returns false at the limit or after shutdown began.</summary>
    public bool TryStart(TcpConnection connection)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }
            if (_open.Count >= _limit)
            {
                _refused++;
                return false;
            }
            var client = connection.Client.Bits;
            _perClient.TryGetValue(client, out int fromClient);
            if (fromClient >= _clientLimit)
            {
                _refusedPerClient++;
                return false;
            }
            _perClient[client] = fromClient + 1;
            _open.Add(connection);
            // Started under the lock so a concurrent shutdown sees its completion task.
            connection.Start();
            return true;
        }
    }

    public void Remove(TcpConnection connection)
    {
        lock (_gate)
        {
            if (!_open.Remove(connection)) return;
            var client = connection.Client.Bits;
            if (_perClient.TryGetValue(client, out int fromClient) && fromClient > 1) _perClient[client] = fromClient - 1;
            else _perClient.Remove(client);
        }
    }

    /// <summary>
    /// Asks every connection to finish the reply in progress and close; cuts those still open after
    /// <paramref name="grace"/> or when <paramref name="cancellationToken"/> fires. Returns how many were cut.
    /// </summary>
    public async Task<int> CloseAllAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        TcpConnection[] connections;
        lock (_gate)
        {
            _closed = true;
            connections = [.. _open];
        }
        foreach (var connection in connections)
        {
            connection.RequestClose();
        }
        var all = Task.WhenAll(connections.Select(c => c.Completion));
        try
        {
            await all.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            var cut = 0;
            foreach (var connection in connections)
            {
                if (!connection.Completion.IsCompleted)
                {
                    connection.Abort();
                    cut++;
                }
            }
            // Closing the socket fails any pending read or write, so this finishes promptly.
            await all.ConfigureAwait(false);
            return cut;
        }
    }

    public void Dispose() => _sweep.Dispose();

    private void CutExpired()
    {
        // A slow tick may overlap the next one; the later tick simply skips.
        if (!Monitor.TryEnter(_expired))
        {
            return;
        }
        try
        {
            var now = Environment.TickCount64;
            lock (_gate)
            {
                foreach (var connection in _open)
                {
                    if (connection.Deadline <= now)
                    {
                        _expired.Add(connection);
                    }
                }
            }
            foreach (var connection in _expired)
            {
                connection.Expire();
            }
            _expired.Clear();
        }
        finally
        {
            Monitor.Exit(_expired);
        }
    }
}
