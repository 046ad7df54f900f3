namespace GslbDns.Pipeline;

/// <summary>
/// Turns one DNS message into one reply. Listeners own sockets and framing; everything about DNS
/// happens behind this interface.
/// </summary>
public interface IQueryHandler
{
    /// <summary>
    /// Writes the reply for <paramref name="query"/> into <paramref name="response"/> and returns its
    /// length, or 0 when the message must be dropped without a reply. Never throws.
    /// </summary>
    int Handle(ReadOnlySpan<byte> query, Span<byte> response, in RequestContext context);
}
