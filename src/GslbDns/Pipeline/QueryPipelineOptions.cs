namespace GslbDns.Pipeline;

public sealed record QueryPipelineOptions
{
    /// <summary>
    /// The largest UDP reply we send, whatever the client offers (RFC 6891 §6.2.5). 1232 avoids IP
    /// fragmentation on any path with a 1280-byte MTU (DNS Flag Day 2020).
    /// </summary>
    public int MaxUdpPayload { get; init; } = 1232;
}
