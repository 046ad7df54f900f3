namespace GslbDns.Pipeline;

public sealed record QueryPipelineOptions
{
    /// <summary>
    /// The largest UDP reply we send, whatever the client offers (RFC 6891 §6.2.5). 1232 avoids IP
    /// fragmentation on any path with a 1280-byte MTU (DNS Flag Day 2020).
    /// </summary>
    public int MaxUdpPayload { get; init; } = 1232;

    /// <summary>What id.server and hostname.bind (CH TXT) answer; null: REFUSED.</summary>
    public string? ServerId { get; init; }

    /// <summary>What version.server and version.bind (CH TXT) answer; null: REFUSED (the default: no version to scan for).</summary>
    public string? ServerVersion { get; init; }

    /// <summary>The NSID (RFC 5001) bytes sent to a query that asks for it; null: not sent.</summary>
    public byte[]? Nsid { get; init; }
}
