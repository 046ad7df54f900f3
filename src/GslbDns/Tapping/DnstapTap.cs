using GslbDns.Pipeline;

namespace GslbDns.Tapping;

/// <summary>
/// The query path's side of dnstap: copies the query and response bytes with the endpoints and
/// timestamps into a free slot. No lock, no allocation, no waiting; a full queue drops the record.
/// </summary>
public sealed class DnstapTap : IQueryTap
{
    /// <summary>
    /// A query with a reply up to about 7.5 KiB fits a slot (UDP replies are at most
    /// --max-udp-payload, 1232 by default); a larger TCP reply is logged without its bytes rather
    /// than making every slot 64 KiB.
    /// </summary>
    public const int PayloadBytes = 8 * 1024;

    private readonly TapQueue<DnstapRecord> _queue;

    public DnstapTap(TapQueue<DnstapRecord> queue) => _queue = queue;

    public void Observe(in QueryOutcome outcome)
    {
        // An empty datagram is no DNS message (the UDP listener wakes its own threads with one at shutdown).
        if (outcome.Query.IsEmpty) return;
        if (!_queue.TryClaim(out long ticket)) return;
        ref var record = ref _queue.RecordAt(ticket);
        var payload = _queue.PayloadAt(ticket);
        record.Started = outcome.Started;
        record.Finished = outcome.Finished;
        record.Client = outcome.Client;
        record.ClientPort = outcome.ClientPort;
        record.Server = outcome.Server;
        record.ServerPort = outcome.ServerPort;
        record.Transport = outcome.Transport;

        var query = outcome.Query;
        record.QueryLength = query.Length <= payload.Length ? query.Length : DnstapRecord.NotKept;
        if (record.QueryLength > 0) query.CopyTo(payload);
        var room = payload[Math.Max(record.QueryLength, 0)..];
        var response = outcome.Response;
        record.ResponseLength = response.Length <= room.Length ? response.Length : DnstapRecord.NotKept;
        if (record.ResponseLength > 0) response.CopyTo(room);
        _queue.Publish(ticket);
    }
}
