using GslbDns.Pipeline;

namespace GslbDns.Tapping;

/// <summary>
/// The query path's side of the query log: picks 1 in N queries and copies what the log line needs
/// into a free slot of the queue. No lock, no allocation, no waiting; a full queue drops the record.
/// </summary>
public sealed class QueryLogTap : IQueryTap
{
    /// <summary>Room for the longest wire name (RFC 1035 §3.1).</summary>
    public const int PayloadBytes = DnsName.MaxWireLength;

    private readonly TapQueue<QueryLogRecord> _queue;
    private readonly long _sample;
    private long _seen;

    public QueryLogTap(TapQueue<QueryLogRecord> queue, int sample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sample, 1);
        _queue = queue;
        _sample = sample;
    }

    public void Observe(in QueryOutcome outcome)
    {
        // A dropped packet (shorter than a header, or a response) got no answer: nothing to log.
        if (outcome.Response.IsEmpty) return;
        // A shared counter rather than a hash: the log keeps exactly 1 in N, whatever the names asked,
        // and one interlocked add is all it costs.
        if (_sample > 1 && (Interlocked.Increment(ref _seen) - 1) % _sample != 0) return;
        if (!_queue.TryClaim(out long ticket)) return;

        ref var record = ref _queue.RecordAt(ticket);
        record.Started = outcome.Started;
        record.Finished = outcome.Finished;
        record.Client = outcome.Client;
        record.ClientPort = outcome.ClientPort;
        record.Transport = outcome.Transport;
        record.QType = outcome.QType;
        record.Rcode = outcome.Rcode;
        record.HasClientSubnet = outcome.HasClientSubnet;
        record.ClientSubnet = outcome.ClientSubnet;
        record.ScopePrefix = outcome.Steering.ScopePrefix;
        record.Service = outcome.Steering.Service;
        record.Region = outcome.Steering.Region;
        record.Reason = outcome.Steering.Reason;
        var name = outcome.QName.Length <= PayloadBytes ? outcome.QName : default;
        name.CopyTo(_queue.PayloadAt(ticket));
        record.NameLength = name.Length;
        _queue.Publish(ticket);
    }
}
