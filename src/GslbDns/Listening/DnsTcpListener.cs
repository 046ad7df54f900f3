using GslbDns.Observability;
using System.Net;
using System.Net.Sockets;
using GslbDns.Pipeline;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

/// <summary>Accepts DNS-over-TCP connections on one endpoint and hands each to a <see cref="TcpConnection"/>.</summary>
internal sealed class DnsTcpListener : IDisposable
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly IPEndPoint _configured;
    private readonly ListenerOptions _options;
    private readonly IQueryHandler _handler;
    private readonly TcpConnectionSet _connections;
    private readonly ILogger _logger;
    private readonly LogThrottle _acceptErrors = new(TimeSpan.FromSeconds(10));
    private readonly LogThrottle _rejections = new(TimeSpan.FromSeconds(10));
    private readonly LogThrottle _handlerErrors = new(TimeSpan.FromSeconds(10));
    private Socket? _socket;
    private Task _acceptLoop = Task.CompletedTask;
    private volatile bool _stopping;

    public DnsTcpListener(IPEndPoint configured, ListenerOptions options, IQueryHandler handler, TcpConnectionSet connections, ILogger logger)
    {
        _configured = configured;
        _options = options;
        _handler = handler;
        _connections = connections;
        _logger = logger;
    }

    /// <summary>Streams zone transfers on this listener's connections; null leaves them to the handler.</summary>
    public IZoneTransfer? Transfer { get; init; }

    /// <summary>The bound address; its port is the real one when port 0 was configured.</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>Binds and listens on <paramref name="port"/>; throws <see cref="ListenerBindException"/> on failure.</summary>
    public void Bind(int port)
    {
        _socket = SocketBinding.BindTcp(new IPEndPoint(_configured.Address, port), _options.TcpListenBacklog);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    /// <summary>Closes the listening socket; open connections are left to <see cref="TcpConnectionSet.CloseAllAsync"/>.</summary>
    public Task StopAcceptingAsync()
    {
        _stopping = true;
        _socket?.Dispose();
        return _acceptLoop;
    }

    public void Dispose()
    {
        _stopping = true;
        _socket?.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var listening = _socket!;
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = await listening.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Typically out of file descriptors; waiting lets connections close instead of spinning.
                if (_acceptErrors.ShouldLog(out var suppressed))
                {
                    _logger.TcpAcceptFailed(LocalEndPoint, e.SocketErrorCode.ToString(), suppressed);
                }
                await Task.Delay(AcceptRetryDelay).ConfigureAwait(false);
                continue;
            }
            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        ClientAddress address, server;
        ushort port, serverPort;
        try
        {
            var remote = (IPEndPoint)client.RemoteEndPoint!;
            address = ClientAddress.FromIPAddress(remote.Address);
            port = (ushort)remote.Port;
            // The connection's own end: the address queried, also under a wildcard listener.
            var local = (IPEndPoint)client.LocalEndPoint!;
            server = ClientAddress.FromIPAddress(local.Address);
            serverPort = (ushort)local.Port;
            // Replies are written whole; Nagle would only delay the last segment of each.
            client.NoDelay = true;
        }
        catch (SocketException)
        {
            // Reset before we looked at it.
            client.Dispose();
            return;
        }
        var connection = new TcpConnection(client, LocalEndPoint, new RequestContext(Transport.Tcp, address, port, server, serverPort), _options, _handler, _connections, _logger, _handlerErrors)
        {
            Transfer = Transfer,
        };
        if (_connections.TryStart(connection))
        {
            return;
        }
        // At the limit: close at once so the client can retry elsewhere, rather than leave it queued.
        client.Dispose();
        if (!_stopping && _rejections.ShouldLog(out var suppressed))
        {
            _logger.TcpConnectionLimitReached(LocalEndPoint, _connections.Limit, suppressed);
        }
    }
}
