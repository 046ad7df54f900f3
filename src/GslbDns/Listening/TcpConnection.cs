using GslbDns.Observability;
using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using GslbDns.Pipeline;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

/// <summary>
/// One DNS-over-TCP connection: messages framed by a 2-byte length (RFC 1035 §4.2.2), answered in
/// the order received (RFC 7766 §6.2.1.1). Several queries in one segment are answered with one write.
/// </summary>
internal sealed class TcpConnection
{
    private const int InitialReceiveBufferBytes = 4096;
    private const int LengthPrefixBytes = 2;
    private const long NoDeadline = long.MaxValue;
    private const long MaxDrainMilliseconds = 2000;

    private readonly Socket _socket;
    private readonly IPEndPoint _localEndPoint;
    private readonly RequestContext _context;

    /// <summary>The client's address (the per-client connection limit counts by it).</summary>
    public ClientAddress Client => _context.Client;
    private readonly IQueryHandler _handler;
    private readonly TcpConnectionSet _owner;
    private readonly ILogger _logger;
    private readonly LogThrottle _handlerErrors;
    private readonly long _timeoutMilliseconds;
    private readonly int _maxMessageSize;
    private readonly int _maxPipelined;
    private readonly object _gate = new();
    private long _deadline = NoDeadline;
    private bool _reading;
    private bool _messageStarted;
    private bool _closing;
    private bool _draining;
    private bool _aborted;

    public TcpConnection(Socket socket, IPEndPoint localEndPoint, RequestContext context, ListenerOptions options,
        IQueryHandler handler, TcpConnectionSet owner, ILogger logger, LogThrottle handlerErrors)
    {
        _socket = socket;
        _localEndPoint = localEndPoint;
        _context = context;
        _handler = handler;
        _owner = owner;
        _logger = logger;
        _handlerErrors = handlerErrors;
        _timeoutMilliseconds = (long)options.TcpIdleTimeout.TotalMilliseconds;
        _maxMessageSize = options.TcpMaxMessageSize;
        _maxPipelined = options.TcpMaxPipelined;
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Answers AXFR and IXFR with a stream of messages (RFC 5936 §2.2); null leaves them to the handler.</summary>
    public IZoneTransfer? Transfer { get; init; }

    /// <summary>Environment.TickCount64 after which the connection is cut: idle too long, query or reply too slow.</summary>
    public long Deadline => Volatile.Read(ref _deadline);

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>
    /// Shutdown: a connection waiting for a query closes now; one whose query has begun to arrive, or
    /// that is busy with a reply, closes after sending that reply (the shutdown grace cuts it otherwise).
    /// </summary>
    public void RequestClose()
    {
        lock (_gate)
        {
            _closing = true;
            if (_reading && !_messageStarted)
            {
                BeginDrain();
            }
        }
    }

    /// <summary>
    /// The deadline passed. A connection waiting for (the rest of) a query is closed gracefully; one
    /// whose client does not read its replies, or does not close during the drain, is cut.
    /// </summary>
    public void Expire()
    {
        lock (_gate)
        {
            if (_aborted)
            {
                return;
            }
            if (_reading && !_draining)
            {
                BeginDrain();
                return;
            }
        }
        Abort();
    }

    /// <summary>
    /// RFC 7766 §6.2.3: close gracefully. FIN now (the pending read stays, so nothing is torn down
    /// under it: disposing a socket with a read outstanding sends RST); whatever the client still
    /// sends is read and dropped until it closes too or the drain deadline passes.
    /// </summary>
    private void BeginDrain()
    {
        // Called under _gate, so the socket is not disposed under it.
        if (_aborted || _draining)
        {
            return;
        }
        _draining = true;
        SetDeadline(Math.Min(_timeoutMilliseconds, MaxDrainMilliseconds));
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The peer is already gone; the pending read ends with the error.
        }
    }

    /// <summary>Closes the socket, failing any pending read or write.</summary>
    public void Abort()
    {
        lock (_gate)
        {
            if (_aborted)
            {
                return;
            }
            _aborted = true;
        }
        _socket.Dispose();
    }

    private async Task RunAsync()
    {
        var input = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferBytes);
        byte[]? output = null;
        var graceful = false;
        try
        {
            int start = 0, end = 0;
            while (true)
            {
                var used = 0;
                var pending = 0;
                while (end - start >= LengthPrefixBytes)
                {
                    var length = BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(start));
                    if (length < DnsHeader.Length || length > _maxMessageSize)
                    {
                        // Not a DNS message (or one we refuse); the stream cannot be resynchronised.
                        return;
                    }
                    var messageEnd = start + LengthPrefixBytes + length;
                    if (messageEnd > end)
                    {
                        if (LengthPrefixBytes + length > input.Length)
                        {
                            input = Grow(input, start, end, LengthPrefixBytes + length);
                            end -= start;
                            start = 0;
                        }
                        break;
                    }

                    if (Transfer is { } transfer && transfer.Claims(input.AsSpan(start + LengthPrefixBytes, length)))
                    {
                        // Replies already built go first: answers stay in the order of the queries.
                        if (used > 0)
                        {
                            await SendAsync(output!, used).ConfigureAwait(false);
                            used = 0;
                            pending = 0;
                        }
                        var request = input.AsSpan(start + LengthPrefixBytes, length).ToArray();
                        start = messageEnd;
                        Volatile.Write(ref _deadline, NoDeadline);
                        await transfer.TransferAsync(request, _context, SendAsync).ConfigureAwait(false);
                        continue;
                    }
                    output ??= ArrayPool<byte>.Shared.Rent(LengthPrefixBytes + _maxMessageSize);
                    if (output.Length - used < LengthPrefixBytes + _maxMessageSize)
                    {
                        await SendAsync(output, used).ConfigureAwait(false);
                        used = 0;
                        pending = 0;
                    }
                    var replyLength = Handle(input.AsSpan(start + LengthPrefixBytes, length), output.AsSpan(used + LengthPrefixBytes, _maxMessageSize));
                    start = messageEnd;
                    if (replyLength > 0)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(used), (ushort)replyLength);
                        used += LengthPrefixBytes + replyLength;
                        if (++pending >= _maxPipelined)
                        {
                            await SendAsync(output, used).ConfigureAwait(false);
                            used = 0;
                            pending = 0;
                        }
                    }
                }
                if (used > 0)
                {
                    await SendAsync(output!, used).ConfigureAwait(false);
                }
                if (output is not null)
                {
                    // Idle connections hold only the small receive buffer.
                    ArrayPool<byte>.Shared.Return(output);
                    output = null;
                }
                if (start > 0)
                {
                    input.AsSpan(start, end - start).CopyTo(input);
                    end -= start;
                    start = 0;
                }

                var messageStarted = end > 0;
                bool draining;
                lock (_gate)
                {
                    if (_closing && !messageStarted)
                    {
                        // Shutdown: the last reply is out; FIN follows it. A query begun is read to
                        // its end and answered first: its client is waiting for the answer.
                        BeginDrain();
                    }
                    draining = _draining;
                    if (!draining && (!messageStarted || Deadline == NoDeadline))
                    {
                        // Waiting for the next query, or for the rest of one that followed a reply.
                        SetDeadline(_timeoutMilliseconds);
                    }
                    _reading = true;
                    _messageStarted = messageStarted;
                }
                var received = await _socket.ReceiveAsync(input.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
                lock (_gate)
                {
                    _reading = false;
                    draining = _draining;
                }
                if (received == 0)
                {
                    graceful = true;
                    return;
                }
                if (draining)
                {
                    // Our FIN is sent: queries arriving now are not answered, only read so that
                    // closing does not find unread data (which would make the close a reset).
                    end = 0;
                    continue;
                }
                if (!messageStarted)
                {
                    // A query has begun: it must arrive whole within the timeout.
                    SetDeadline(_timeoutMilliseconds);
                }
                end += received;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Peer reset, deadline passed or shutdown cut the connection: nothing left to do but clean up.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
            Close(graceful);
            _owner.Remove(this);
        }
    }

    private int Handle(ReadOnlySpan<byte> query, Span<byte> response)
    {
        // The handler is synchronous; its run time is not the client's fault.
        Volatile.Write(ref _deadline, NoDeadline);
        return GuardedHandler.Handle(_handler, query, response, in _context, _handlerErrors, _logger, _localEndPoint);
    }

    private async ValueTask SendAsync(byte[] buffer, int count)
    {
        // A client that does not read its replies is cut after the timeout.
        SetDeadline(_timeoutMilliseconds);
        var sent = 0;
        while (sent < count)
        {
            sent += await _socket.SendAsync(buffer.AsMemory(sent, count - sent), SocketFlags.None).ConfigureAwait(false);
        }
        Volatile.Write(ref _deadline, NoDeadline);
    }

    /// <summary>One framed message of a transfer; the deadline covers each, so a secondary that stops reading is cut.</summary>
    private async ValueTask SendAsync(ReadOnlyMemory<byte> framed)
    {
        SetDeadline(_timeoutMilliseconds);
        var sent = 0;
        while (sent < framed.Length)
        {
            sent += await _socket.SendAsync(framed[sent..], SocketFlags.None).ConfigureAwait(false);
        }
        Volatile.Write(ref _deadline, NoDeadline);
    }

    private void SetDeadline(long milliseconds) => Volatile.Write(ref _deadline, Environment.TickCount64 + milliseconds);

    private static byte[] Grow(byte[] buffer, int start, int end, int needed)
    {
        var larger = ArrayPool<byte>.Shared.Rent(needed);
        buffer.AsSpan(start, end - start).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private void Close(bool graceful)
    {
        lock (_gate)
        {
            if (_aborted)
            {
                return;
            }
            _aborted = true;
        }
        if (graceful)
        {
            try
            {
                // FIN after the last reply rather than a bare close.
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The peer is already gone.
            }
        }
        _socket.Dispose();
    }
}
