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

    private readonly Socket _socket;
    private readonly IPEndPoint _localEndPoint;
    private readonly IQueryHandler _handler;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly LogThrottle _receiveErrors = new(TimeSpan.FromSeconds(10));
    private readonly LogThrottle _sendErrors = new(TimeSpan.FromSeconds(10));
    private readonly LogThrottle _handlerErrors = new(TimeSpan.FromSeconds(10));
    private volatile bool _stopping;

    public UdpReceiveLoop(Socket socket, IPEndPoint localEndPoint, int index, IQueryHandler handler, ILogger logger)
    {
        _socket = socket;
        _localEndPoint = localEndPoint;
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

            var context = new RequestContext(Transport.Udp, ClientAddress.FromSocketAddress(peer));
            int length;
            try
            {
                length = _handler.Handle(query.AsSpan(0, received), response.AsSpan(), in context);
            }
            catch (Exception e)
            {
                if (_handlerErrors.ShouldLog(out var suppressed))
                {
                    _logger.HandlerFailed(e, _localEndPoint, suppressed);
                }
                continue;
            }
            if (length == 0)
            {
                continue;
            }
            if (length < 0 || length > response.Length)
            {
                if (_handlerErrors.ShouldLog(out var suppressed))
                {
                    _logger.HandlerLengthInvalid(_localEndPoint, length, response.Length, suppressed);
                }
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
