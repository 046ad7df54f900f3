using System.Text.Json;
using Etcdserverpb;
using Google.Protobuf;
using GslbDns.Steering.State;

namespace GslbDns.Cluster;

/// <summary>The shared store could not be reached to make a change: nothing was changed.</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Drains and undrains in etcd, with compare-and-swap on the key's revision: read the key, then
/// change it in a transaction only if its revision is still the one read, so two operators changing
/// the same region through different instances never overwrite each other unseen (the loser reads
/// again and finds the change already made). No lease: a drain stays until someone undrains it.
/// </summary>
public sealed class ClusterDrains(ClusterSettings settings, EtcdConnection connection, ClusterKeys keys, TimeProvider time)
{
    private const int Attempts = 5;

    /// <summary>Returns once etcd holds the change; throws <see cref="ClusterUnavailableException"/> when it cannot be made.</summary>
    public async Task SetAsync(RegionKey region, bool drained, string by, CancellationToken token)
    {
        var key = ByteString.CopyFromUtf8(keys.Drain(region));
        Exception? last = null;
        for (int attempt = 0; attempt < Attempts + settings.Endpoints.Count; attempt++)
        {
            try
            {
                var clients = await connection.ClientsAsync(token).ConfigureAwait(false);
                var read = await clients.Kv.RangeAsync(new RangeRequest { Key = key }, clients.Headers, EtcdConnection.Deadline(), token).ConfigureAwait(false);
                long revision = read.Kvs.Count > 0 ? read.Kvs[0].ModRevision : 0;
                if ((read.Kvs.Count > 0) == drained) return;
                var txn = new TxnRequest();
                // A key that does not exist has mod revision 0, so the same compare covers "still absent".
                txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revision });
                if (drained)
                {
                    var record = new DrainRecord(region.Service.ToString().TrimEnd('.'), region.Region, time.GetUtcNow(), by, settings.InstanceName);
                    txn.Success.Add(new RequestOp
                    {
                        RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(record, ClusterJsonContext.Default.DrainRecord)) },
                    });
                }
                else
                {
                    txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } });
                }
                var reply = await clients.Kv.TxnAsync(txn, clients.Headers, EtcdConnection.Deadline(), token).ConfigureAwait(false);
                if (reply.Succeeded) return;
                last = new InvalidOperationException("changed concurrently by another instance");
            }
            catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
            {
                connection.Failed(e);
                last = e;
            }
        }
        throw new ClusterUnavailableException($"the drain could not be {(drained ? "set" : "lifted")} in etcd ({(last is null ? "unknown" : ClusterWatcher.Problem(last))}); "
            + "drains are shared by every instance, so nothing was changed: retry once etcd is reachable", last);
    }
}
