using GslbDns.Parsing;
using GslbDns.Steering;

namespace GslbDns.Pipeline;

/// <summary>
/// One handled query as the taps see it (metrics, query log, dnstap): the bytes that came and went
/// and what the pipeline decided. A ref struct over the listener's buffers: a tap copies what it
/// keeps before it returns, and the query path allocates nothing to describe itself.
/// </summary>
public readonly ref struct QueryOutcome
{
    /// <summary>The message as received.</summary>
    public ReadOnlySpan<byte> Query { get; init; }

    /// <summary>The reply as it will be sent; empty when the message is dropped.</summary>
    public ReadOnlySpan<byte> Response { get; init; }

    public Transport Transport { get; init; }

    /// <summary>The packet's source (the resolver).</summary>
    public ClientAddress Client { get; init; }

    /// <summary>The source port; 0 when the listener does not know it.</summary>
    public ushort ClientPort { get; init; }

    /// <summary>Our address the query came to.</summary>
    public ClientAddress Server { get; init; }

    /// <summary>Our port the query came to; 0 when the listener does not know it.</summary>
    public ushort ServerPort { get; init; }

    /// <summary>How the message parsed: a query, a drop, FORMERR, NOTIMP, BADVERS.</summary>
    public ParseOutcome Parsed { get; init; }

    /// <summary>The question's type; 0 when no question was read.</summary>
    public RecordType QType { get; init; }

    /// <summary>The question name, lower-cased wire form; empty when no question was read.</summary>
    public ReadOnlySpan<byte> QName { get; init; }

    /// <summary>The full (extended) response code of the reply.</summary>
    public ResponseCode Rcode { get; init; }

    public bool Truncated { get; init; }

    /// <summary>The query carried an EDNS Client Subnet option (RFC 7871).</summary>
    public bool HasClientSubnet { get; init; }

    /// <summary>The ECS option as sent, when <see cref="HasClientSubnet"/>.</summary>
    public ClientSubnetOption ClientSubnet { get; init; }

    /// <summary>What the query's COOKIE option was (RFC 7873): none, client only, valid or invalid server cookie.</summary>
    public Cookies.CookieVerdict Cookie { get; init; }

    /// <summary>What response rate limiting did with the reply (sent, dropped, slipped, BADCOOKIE, would limit).</summary>
    public RateLimiting.RrlAction Rrl { get; init; }

    /// <summary>The steering decision, when the name is steered.</summary>
    public SteeringResult Steering { get; init; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp taken when the pipeline got the message (0 when no tap uses times).</summary>
    public long Started { get; init; }

    /// <summary>Timestamp taken when the reply was complete.</summary>
    public long Finished { get; init; }
}

/// <summary>
/// Something that watches every query: called on the query path, after the reply is built and before
/// it is sent. An implementation must not block, lock or allocate; it counts or copies into memory of
/// its own and leaves slower work (formatting, writing files) to a thread of its own.
/// </summary>
public interface IQueryTap
{
    void Observe(in QueryOutcome outcome);

    /// <summary>
    /// Whether the tap reads <see cref="QueryOutcome.Started"/> and <see cref="QueryOutcome.Finished"/>:
    /// reading the clock twice costs about a tenth of a microsecond per query, so the pipeline only
    /// does it when some tap uses the times.
    /// </summary>
    bool UsesTimestamps => true;
}
