using GslbDns.Observability;
using System.Net;
using System.Net.Sockets;
using GslbDns.Pipeline;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

/// <summary>
/// One dedicated thread doing blocking receives on one UDP socket. Blocking calls on a dedicated
/// thread allocate nothing per query and cost clearly less CPU per query than an async loop.
/// </summary>
internal sealed class UdpReceiveLoop
{
    // Largest UDP payload is 65507 (IPv4) / 65527 (IPv6) bytes; the buffer holds any datagram whole.
    private const int QueryBufferBytes = 64 * 1024;
    private const int ResponseBufferBytes = ushort.MaxValue;
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan StopPoll = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly IPEndPoint _localEndPoint;
    private readonly ClientAddress _server;
    private readonly ushort _serverPort;
    private readonly IQueryHandler _handler;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly LogThrottle _receiveErrors = new(TimeSpan.FromSeconds(10));
    private readonly LogThrottle _sendErrors = new(TimeSpan.FromSeconds(10));
    private readonly LogThrottle _handlerErrors = new(TimeSpan.FromSeconds(10));
    private readonly bool _batching;
    private volatile bool _stopping;

    public UdpReceiveLoop(Socket socket, IPEndPoint localEndPoint, int index, bool batching, IQueryHandler handler, ILogger logger)
    {
        _socket = socket;
        _batching = batching && LinuxDatagrams.IsSupported;
        _localEndPoint = localEndPoint;
        // Each socket is bound to one address (wildcards are expanded), so it is the address queried.
        _server = ClientAddress.FromIPAddress(localEndPoint.Address);
        _serverPort = (ushort)localEndPoint.Port;
        _handler = handler;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = $"dns-udp {localEndPoint} #{index}" };
    }

    public string Name => _thread.Name!;

    public void Start() => _thread.Start();

    /// <summary>Marks the loop as stopping; closing the socket then unblocks the receive.</summary>
    public void RequestStop() => _stopping = true;

    public bool Join(TimeSpan timeout) => !_thread.IsAlive || _thread.Join(timeout);

    private void Run()
    {
        if (_batching && RunBatched())
        {
            return;
        }
        RunSingle();
    }

    /// <summary>
    /// Linux: many datagrams per system call (recvmmsg/sendmmsg). Returns false, before serving
    /// anything, when the socket cannot be used that way, so the portable loop takes over.
    /// </summary>
    private bool RunBatched()
    {
        var handle = _socket.SafeHandle;
        bool added = false;
        try
        {
            // The receive timeout bounds how long a stop waits: the loop holds a reference on the
            // descriptor, so closing the socket cannot pull it from under a blocked recvmmsg.
            _socket.ReceiveTimeout = (int)StopPoll.TotalMilliseconds;
            handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            if (!LinuxDatagrams.TryMakeBlocking(fd))
            {
                _socket.ReceiveTimeout = 0;
                return false;
            }
            using var batch = new UdpBatch();
            while (!_stopping)
            {
                int count = batch.Receive(fd);
                if (count < 0)
                {
                    OnReceiveErrno(-count);
                    continue;
                }
                int replies = 0;
                for (int i = 0; i < count; i++)
                {
                    // A datagram cut by the buffer would be answered wrongly; 64 KiB buffers make it impossible.
                    if (batch.IsTruncated(i))
                    {
                        continue;
                    }
                    int length = Handle(batch.Query(i), batch.Response(i), new RequestContext(Transport.Udp, batch.Sender(i), batch.SenderPort(i), _server, _serverPort));
                    if (length > 0)
                    {
                        batch.QueueReply(replies++, i, length);
                    }
                }
                for (int first = 0; first < replies;)
                {
                    int sent = batch.Send(fd, first, replies - first);
                    if (sent > 0)
                    {
                        first += sent;
                    }
                    else if (sent != -LinuxDatagrams.EIntr)
                    {
                        // The first queued reply failed: report it (unless the peer caused it) and go on with the rest.
                        OnSendErrno(-sent);
                        first++;
                    }
                }
            }
            return true;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private int Handle(ReadOnlySpan<byte> query, Span<byte> response, in RequestContext context) =>
        GuardedHandler.Handle(_handler, query, response, in context, _handlerErrors, _logger, _localEndPoint);

    private void OnReceiveErrno(int errno)
    {
        if (errno is LinuxDatagrams.EAgain or LinuxDatagrams.EIntr || _stopping)
        {
            return; // the receive timeout, or a signal: look at _stopping and receive again
        }
        if (_receiveErrors.ShouldLog(out var suppressed))
        {
            _logger.UdpReceiveFailed(_localEndPoint, "errno " + errno, suppressed);
        }
        Thread.Sleep(ErrorBackoff);
    }

    private void OnSendErrno(int errno)
    {
        // ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EMSGSIZE, EPERM (a firewall): about that peer only.
        if (errno is 111 or 113 or 101 or 90 or 1 || _stopping)
        {
            return;
        }
        if (_sendErrors.ShouldLog(out var suppressed))
        {
            _logger.UdpSendFailed(_localEndPoint, "errno " + errno, suppressed);
        }
    }

    private void RunSingle()
    {
        var query = new byte[QueryBufferBytes];
        var response = new byte[ResponseBufferBytes];
        var peer = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(query.AsSpan(), SocketFlags.None, peer);
            }
            catch (SocketException e) when (!_stopping)
            {
                OnReceiveError(e);
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            int length = Handle(query.AsSpan(0, received), response.AsSpan(), new RequestContext(Transport.Udp, ClientAddress.FromSocketAddress(peer), ClientAddress.PortOf(peer.Buffer.Span), _server, _serverPort));
            if (length == 0)
            {
                continue;
            }

            try
            {
                _socket.SendTo(response.AsSpan(0, length), SocketFlags.None, peer);
            }
            catch (SocketException e) when (!_stopping)
            {
                if (!IsCausedByPeer(e.SocketErrorCode) && _sendErrors.ShouldLog(out var suppressed))
                {
                    _logger.UdpSendFailed(_localEndPoint, e.SocketErrorCode.ToString(), suppressed);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void OnReceiveError(SocketException e)
    {
        // An ICMP error for an earlier reply surfaces on the next receive on some platforms
        // (ConnectionReset on Windows); it says nothing about this socket, so keep serving.
        if (IsCausedByPeer(e.SocketErrorCode))
        {
            return;
        }
        if (_receiveErrors.ShouldLog(out var suppressed))
        {
            _logger.UdpReceiveFailed(_localEndPoint, e.SocketErrorCode.ToString(), suppressed);
        }
        // An error that persists must not spin a core.
        Thread.Sleep(ErrorBackoff);
    }

    private static bool IsCausedByPeer(SocketError error) => error is
        SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize or
        SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.Interrupted;
}
