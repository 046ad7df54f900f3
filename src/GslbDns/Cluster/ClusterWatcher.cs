using Etcdserverpb;
using Google.Protobuf;
using GslbDns.Api;
using GslbDns.Health;
using GslbDns.Observability;
using GslbDns.Steering.State;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace GslbDns.Cluster;

/// <summary>
/// Keeps <see cref="ClusterMirror"/> in step with etcd and feeds what it holds into the state store
/// and the API drains: reads the whole prefix, then watches from the revision after that read.
/// Whenever the watch breaks (a member lost, etcd down, a compacted revision) it starts over with a
/// fresh read, so after an outage it resynchronises without a restart. Nothing here is on the query
/// path: the state store turns what it is given into a new table and publishes it.
/// </summary>
public sealed class ClusterWatcher(
    ClusterSettings settings,
    EtcdConnection connection,
    ClusterMirror mirror,
    ClusterReachability reachability,
    RegionStateStore state,
    ApiDrainStore drains,
    TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly TaskCompletionSource _firstSync = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Done after the first full read (or never, while etcd cannot be reached).</summary>
    public Task FirstSync => _firstSync.Task;

    public async Task RunAsync(CancellationToken token)
    {
        reachability.StaleChanged += ApplyVotes;
        try
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    await SyncAndWatchAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Log.ClusterCallFailed(logger, connection.Endpoint.ToString(), e.Message);
                    connection.Failed(e);
                    reachability.WatchFailed(Problem(e));
                }
                try
                {
                    await Task.Delay(RetryDelay, time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            reachability.StaleChanged -= ApplyVotes;
        }
    }

    private async Task SyncAndWatchAsync(CancellationToken token)
    {
        var clients = await connection.ClientsAsync(token).ConfigureAwait(false);
        var prefix = ByteString.CopyFromUtf8(settings.Prefix);
        var rangeEnd = RangeEnd(settings.Prefix);
        // A linearizable read: it needs etcd's quorum, so a member cut off from the others cannot
        // hand out an old picture.
        var read = await clients.Kv.RangeAsync(new RangeRequest { Key = prefix, RangeEnd = rangeEnd }, clients.Headers,
            EtcdConnection.Deadline(), token).ConfigureAwait(false);
        var (change, loads) = mirror.Reset(read.Kvs, read.Header.Revision);
        Apply(change, loads);
        reachability.WatchSucceeded();
        _firstSync.TrySetResult();

        using var watch = clients.Watch.Watch(clients.WatchHeaders(), cancellationToken: token);
        await watch.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = prefix, RangeEnd = rangeEnd, StartRevision = read.Header.Revision + 1 },
        }, token).ConfigureAwait(false);
        while (await watch.ResponseStream.MoveNext(token).ConfigureAwait(false))
        {
            var reply = watch.ResponseStream.Current;
            if (reply.Canceled || reply.CompactRevision > 0)
            {
                throw new InvalidOperationException($"watch ended by etcd: {(reply.CompactRevision > 0 ? $"revision compacted to {reply.CompactRevision}" : reply.CancelReason)}");
            }
            if (reply.Events.Count == 0) continue;
            var (changed, put) = mirror.Apply(reply.Events, reply.Header.Revision);
            Apply(changed, put);
        }
        throw new InvalidOperationException("watch stream closed by etcd");
    }

    private void Apply(MirrorChange change, List<(RegionKey Region, LoadRecord Load)> loads)
    {
        var now = time.GetUtcNow();
        foreach (var (region, load) in loads)
        {
            // This instance's own reports are in the store already, applied when they arrived.
            if (load.Instance == settings.InstanceName) continue;
            var left = TimeSpan.FromSeconds(Math.Min(load.TtlSeconds, (load.Expires - now).TotalSeconds));
            if (left <= TimeSpan.Zero || state.FindRegion(region.Service, region.Region) is not { } found) continue;
            state.SetLoad(found.Key, new LoadReport(load.Cpu, load.Memory, load.Connections, load.Capacity, load.Utilization), left,
                $"{load.Source} via {load.Instance}");
        }
        if ((change & MirrorChange.Drains) != 0) ApplyDrains();
        if ((change & MirrorChange.Health) != 0) ApplyVotes();
    }

    private void ApplyDrains()
    {
        var shared = mirror.Drains().Select(d => new DrainEntry(d.Service, d.Region, d.Since, d.By)).ToArray();
        try
        {
            if (drains.Replace(shared, "cluster")) Log.ClusterDrainsApplied(logger, shared.Length == 0 ? "none" : string.Join(", ", shared.Select(d => $"{d.Service}/{d.Region}")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ClusterDrainsNotSaved(logger, drains.FilePath, e.Message);
        }
    }

    /// <summary>Hands the peers' votes to the state store, by the names the served policies spell (none while the store is stale).</summary>
    private void ApplyVotes()
    {
        var votes = new Dictionary<AddressKey, PeerVote[]>();
        if (!reachability.Stale)
        {
            foreach (var (address, list) in mirror.PeerVotes(settings.InstanceName))
            {
                var key = state.FindRegion(address.Service, address.Region) is { } found
                    ? new AddressKey(found.Key.Service, found.Key.Region, address.Address) : address;
                votes[key] = list.OrderBy(v => v.Instance, StringComparer.Ordinal).ToArray();
            }
        }
        state.SetPeerVotes(votes);
    }

    /// <summary>The end of the range of every key starting with <paramref name="prefix"/> (its last byte plus one).</summary>
    public static ByteString RangeEnd(string prefix)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        bytes[^1]++;
        return ByteString.CopyFrom(bytes);
    }

    public static string Problem(Exception e) => e is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : e.Message;
}
