using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using GslbDns.Api;
using GslbDns.Health;
using GslbDns.Observability;
using GslbDns.Steering.State;
using Microsoft.Extensions.Logging;

namespace GslbDns.Cluster;

/// <summary>
/// Writes what this instance shares: its member record and its own health verdicts under one lease
/// of its own (kept alive each heartbeat, so when the instance dies or is cut off its votes vanish
/// with the lease), and the load reports it accepted, each under a lease as long as its ttl.
/// Writes are queued and sent by one loop; while etcd cannot be reached they wait here, and the newest
/// of each is sent once it can. A load report's caller gets a task that completes once the report (or
/// a newer one of the same region) is in etcd, so the API can tell "shared" from "accepted here only".
/// </summary>
public sealed class ClusterWriter
{
    private readonly ClusterSettings _settings;
    private readonly EtcdConnection _connection;
    private readonly ClusterKeys _keys;
    private readonly ClusterReachability _reachability;
    private readonly RegionStateStore _state;
    private readonly HealthMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<Uri?> _api;
    private readonly Dictionary<RegionKey, List<PendingLoad>> _pendingLoads = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<AddressKey, HealthStatus> _published = [];
    private readonly DateTimeOffset _started;
    private long _lease;
    private long _nextKeepAlive;

    public ClusterWriter(ClusterSettings settings, EtcdConnection connection, ClusterKeys keys, ClusterReachability reachability,
        RegionStateStore state, HealthMonitor monitor, TimeProvider time, ILogger logger, Func<Uri?> api)
    {
        _settings = settings;
        _connection = connection;
        _keys = keys;
        _reachability = reachability;
        _state = state;
        _monitor = monitor;
        _time = time;
        _logger = logger;
        _api = api;
        _started = time.GetUtcNow();
    }

    /// <summary>The lease of this instance's member record and votes: about three check intervals, so a dead instance's votes go within three missed checks.</summary>
    public TimeSpan LeaseTtl { get; private set; }

    /// <summary>How often the lease is kept alive and the member record rewritten.</summary>
    public TimeSpan Heartbeat => TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, LeaseTtl.Ticks / 3));

    /// <summary>
    /// Queues a load report this instance accepted (the newest per region wins). The task is true once
    /// the report, or a newer one of its region that replaced it in the queue, is in etcd; false if the
    /// instance stops first. While etcd cannot be reached it stays pending (the report stays queued).
    /// </summary>
    public Task<bool> PublishLoad(RegionKey region, LoadReport report, TimeSpan ttl, string source)
    {
        var pending = new PendingLoad(new LoadRecord(report.Cpu, report.Memory, report.Connections, report.Capacity, report.Utilization,
            ttl.TotalSeconds, _time.GetUtcNow() + ttl, source, _settings.InstanceName));
        lock (_pendingLoads)
        {
            if (!_pendingLoads.TryGetValue(region, out var queue)) _pendingLoads[region] = queue = [];
            queue.Add(pending);
        }
        Wake();
        return pending.Written.Task;
    }

    /// <summary>Sends the own verdicts soon (raised by the state store when they change).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    public async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                await WriteAsync(token).ConfigureAwait(false);
                _reachability.WriteSucceeded();
                wait = Heartbeat;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Log.ClusterCallFailed(_logger, _connection.Endpoint.ToString(), e.Message);
                _connection.Failed(e);
                _reachability.WriteFailed(ClusterWatcher.Problem(e));
                wait = TimeSpan.FromMilliseconds(300);
            }
            try
            {
                await _wake.WaitAsync(wait, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Reports still queued never reached etcd: their callers must not take them as shared.
        lock (_pendingLoads)
        {
            foreach (var pending in _pendingLoads.Values.SelectMany(q => q)) pending.Written.TrySetResult(false);
            _pendingLoads.Clear();
        }
        await RevokeAsync().ConfigureAwait(false);
    }

    private async Task WriteAsync(CancellationToken token)
    {
        var clients = await _connection.ClientsAsync(token).ConfigureAwait(false);
        long now = _time.GetTimestamp();
        bool fresh = false;
        if (_lease == 0)
        {
            LeaseTtl = LeaseTtlFor(_monitor.Snapshot().Select(c => c.Check.Spec.Interval));
            var grant = await clients.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Math.Ceiling(LeaseTtl.TotalSeconds) },
                clients.Headers, EtcdConnection.Deadline(), token).ConfigureAwait(false);
            _lease = grant.ID;
            _published.Clear();
            fresh = true;
            _nextKeepAlive = now;
        }
        if (now >= _nextKeepAlive)
        {
            if (!fresh && !await KeepAliveAsync(clients, token).ConfigureAwait(false))
            {
                // The lease ran out while etcd could not be reached: start over with a new one and
                // write everything again under it.
                _lease = 0;
                await WriteAsync(token).ConfigureAwait(false);
                return;
            }
            var member = new MemberRecord(_settings.InstanceName, Metrics.GslbDnsMeter.Version, _api()?.ToString(), _time.GetUtcNow(), _started);
            await PutAsync(clients, _keys.Member(_settings.InstanceName), JsonSerializer.SerializeToUtf8Bytes(member, ClusterJsonContext.Default.MemberRecord),
                _lease, token).ConfigureAwait(false);
            _nextKeepAlive = now + (long)(Heartbeat.TotalSeconds * _time.TimestampFrequency);
        }
        await WriteVotesAsync(clients, token).ConfigureAwait(false);
        await WriteLoadsAsync(clients, token).ConfigureAwait(false);
    }

    private async Task<bool> KeepAliveAsync(EtcdClients clients, CancellationToken token)
    {
        using var call = clients.Lease.LeaseKeepAlive(clients.Headers, EtcdConnection.Deadline(), token);
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = _lease }, token).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(token).ConfigureAwait(false)) throw new InvalidOperationException("lease keep-alive got no answer");
        bool alive = call.ResponseStream.Current.TTL > 0;
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return alive;
    }

    /// <summary>Writes the own verdicts that changed since the last write, and deletes those of addresses no longer checked.</summary>
    private async Task WriteVotesAsync(EtcdClients clients, CancellationToken token)
    {
        var own = _state.OwnHealth().ToDictionary(v => v.Key, v => v.Health);
        foreach (var (key, health) in own)
        {
            if (_published.TryGetValue(key, out var sent) && sent == health) continue;
            await PutAsync(clients, _keys.Health(_settings.InstanceName, key), System.Text.Encoding.UTF8.GetBytes(ClusterMirror.StatusText(health)),
                _lease, token).ConfigureAwait(false);
            _published[key] = health;
        }
        foreach (var key in _published.Keys.Where(k => !own.ContainsKey(k)).ToArray())
        {
            await clients.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(_keys.Health(_settings.InstanceName, key)) },
                clients.Headers, EtcdConnection.Deadline(), token).ConfigureAwait(false);
            _published.Remove(key);
        }
    }

    private async Task WriteLoadsAsync(EtcdClients clients, CancellationToken token)
    {
        KeyValuePair<RegionKey, List<PendingLoad>>[] queued;
        lock (_pendingLoads) queued = [.. _pendingLoads];
        foreach (var (region, queue) in queued)
        {
            PendingLoad newest;
            int count;
            lock (_pendingLoads)
            {
                count = queue.Count;
                newest = queue[^1];
            }
            var load = newest.Record;
            double left = Math.Min(load.TtlSeconds, (load.Expires - _time.GetUtcNow()).TotalSeconds);
            if (left > 0)
            {
                // The report's own lease: it leaves etcd when its ttl is over, whoever wrote it.
                var grant = await clients.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = Math.Max(1, (long)Math.Ceiling(left)) },
                    clients.Headers, EtcdConnection.Deadline(), token).ConfigureAwait(false);
                await PutAsync(clients, _keys.Load(region), JsonSerializer.SerializeToUtf8Bytes(load, ClusterJsonContext.Default.LoadRecord),
                    grant.ID, token).ConfigureAwait(false);
            }
            // Only the reports up to the one sent are done (the older ones it replaced count as
            // shared: etcd holds their successor); a newer one queued meanwhile stays.
            PendingLoad[] done;
            lock (_pendingLoads)
            {
                done = queue.Take(count).ToArray();
                queue.RemoveRange(0, count);
                if (queue.Count == 0) _pendingLoads.Remove(region);
            }
            foreach (var pending in done) pending.Written.TrySetResult(true);
        }
    }

    /// <summary>A queued report and its caller's wait for it to be in etcd.</summary>
    private sealed record PendingLoad(LoadRecord Record)
    {
        public TaskCompletionSource<bool> Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static Task PutAsync(EtcdClients clients, string key, byte[] value, long lease, CancellationToken token) =>
        clients.Kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFrom(value), Lease = lease },
            clients.Headers, EtcdConnection.Deadline(), token).ResponseAsync;

    /// <summary>Whether stopping revokes the lease; off, a stop leaves etcd as a crash would (tests of lease expiry).</summary>
    internal bool RevokeOnStop { get; set; } = true;

    /// <summary>On a clean stop the lease goes at once, so the others stop counting this instance's votes now, not a lease later.</summary>
    private async Task RevokeAsync()
    {
        if (_lease == 0 || !RevokeOnStop) return;
        try
        {
            var clients = await _connection.ClientsAsync(CancellationToken.None).ConfigureAwait(false);
            await clients.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = _lease }, clients.Headers, DateTime.UtcNow.AddSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.ClusterCallFailed(_logger, _connection.Endpoint.ToString(), e.Message);
        }
        _lease = 0;
    }

    /// <summary>Three times the shortest check interval, 3 s at least (etcd's smallest lease is about 2 s); 15 s with no checks.</summary>
    public static TimeSpan LeaseTtlFor(IEnumerable<TimeSpan> intervals)
    {
        var shortest = intervals.DefaultIfEmpty(TimeSpan.FromSeconds(5)).Min();
        return TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(3 * shortest.TotalSeconds), 3, 300));
    }
}
