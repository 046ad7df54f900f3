using System.Collections.Concurrent;
using GslbDns.Pipeline;

namespace GslbDns.IntegrationTests.Listening;

/// <summary>
/// Answers a query with the query itself, QR bit set. The first byte after the header steers it:
/// <see cref="DropMarker"/> gives no reply, <see cref="HoldMarker"/> waits for <see cref="Release"/> first.
/// </summary>
internal sealed class EchoHandler : IQueryHandler
{
    public const byte DropMarker = 0xFF;
    public const byte HoldMarker = 0xFE;

    private readonly ManualResetEventSlim _released = new(false);
    private readonly ManualResetEventSlim _holding = new(false);

    public ConcurrentQueue<RequestContext> Contexts { get; } = new();

    public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in RequestContext context)
    {
        Contexts.Enqueue(context);
        if (query.Length > 12 && query[12] == DropMarker)
        {
            return 0;
        }
        if (query.Length > 12 && query[12] == HoldMarker)
        {
            _holding.Set();
            _released.Wait(TimeSpan.FromSeconds(30));
        }
        query.CopyTo(response);
        response[2] |= 0x80;
        return query.Length;
    }

    /// <summary>Waits until a query with <see cref="HoldMarker"/> is being handled.</summary>
    public bool WaitUntilHolding(TimeSpan timeout) => _holding.Wait(timeout);

    public void Release() => _released.Set();
}
