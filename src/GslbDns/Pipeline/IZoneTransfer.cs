namespace GslbDns.Pipeline;

/// <summary>
/// Answers zone transfer requests (AXFR, IXFR) on a TCP connection, where one request gets a stream
/// of messages (RFC 5936 §2.2). The UDP path never comes here: it has one reply per datagram.
/// </summary>
public interface IZoneTransfer
{
    /// <summary>Whether <paramref name="message"/> asks for a transfer, read from its question alone (cheap, allocation-free).</summary>
    bool Claims(ReadOnlySpan<byte> message);

    /// <summary>
    /// Writes the reply messages for the request through <paramref name="send"/>, each one DNS message
    /// with its 2-byte length prefix (RFC 1035 §4.2.2), in order; the buffer may be reused once the
    /// returned task completes. Returns when the last one is sent. Errors of its own become a reply or
    /// a log line, never an exception; the connection's send errors pass through.
    /// </summary>
    Task TransferAsync(byte[] request, RequestContext context, Func<ReadOnlyMemory<byte>, ValueTask> send);
}
