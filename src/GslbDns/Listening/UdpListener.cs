using System.Net;
using System.Net.Sockets;
using GslbDns.Pipeline;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

/// <summary>
/// Serves one configured endpoint over UDP: per bound address one socket per thread (SO_REUSEPORT,
/// Linux) or one socket shared by the threads (elsewhere).
/// </summary>
/// <remarks>
/// .NET cannot choose the source address of a datagram, so a socket bound to a wildcard would answer
/// from whatever address the routing table picks, which resolvers reject as a spoofed reply. A wildcard
/// endpoint is therefore bound once per local unicast address present at start instead.
/// </remarks>
internal sealed class UdpListener : IDisposable
{
    private readonly IPEndPoint _configured;
    private readonly ListenerOptions _options;
    private readonly IQueryHandler _handler;
    private readonly ILogger _logger;
    private readonly List<Socket> _sockets = [];
    private readonly List<UdpReceiveLoop> _loops = [];
    private readonly List<IPEndPoint> _localEndPoints = [];

    public UdpListener(IPEndPoint configured, ListenerOptions options, IQueryHandler handler, ILogger logger)
    {
        _configured = configured;
        _options = options;
        _handler = handler;
        _logger = logger;
    }

    /// <summary>The concrete addresses bound, with the port.</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _localEndPoints;

    /// <summary>Binds every socket on <paramref name="port"/>; on failure closes what was bound and throws <see cref="ListenerBindException"/>.</summary>
    public void Bind(int port)
    {
        var wildcard = LocalAddresses.IsWildcard(_configured.Address);
        var addresses = wildcard ? LocalAddresses.Unicast(_configured.AddressFamily) : [_configured.Address];
        if (addresses.Count == 0)
        {
            throw new ListenerBindException(new IPEndPoint(_configured.Address, port), "udp",
                $"no local {(_configured.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address to bind the wildcard to");
        }

        var threads = _options.UdpThreadsPerEndpoint;
        var socketPerThread = threads > 1 && SocketBinding.CanSpreadWithReusePort;
        try
        {
            foreach (var address in addresses)
            {
                var endpoint = new IPEndPoint(address, port);
                Socket? shared = null;
                for (var i = 0; i < threads; i++)
                {
                    var socket = shared;
                    if (socket is null)
                    {
                        socket = SocketBinding.BindUdp(endpoint, socketPerThread, _options.UdpReceiveBufferBytes, out var actual);
                        _sockets.Add(socket);
                        if (port == 0)
                        {
                            // Every further socket and address shares the port the kernel chose.
                            port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                            endpoint = new IPEndPoint(address, port);
                        }
                        if (i == 0 && actual < _options.UdpReceiveBufferBytes)
                        {
                            _logger.ReceiveBufferCapped(endpoint, actual, _options.UdpReceiveBufferBytes);
                        }
                        if (!socketPerThread)
                        {
                            shared = socket;
                        }
                    }
                    _loops.Add(new UdpReceiveLoop(socket, endpoint, i, _options.UdpBatching, _handler, _logger));
                }
                _localEndPoints.Add(endpoint);
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        if (wildcard)
        {
            _logger.WildcardExpanded(new IPEndPoint(_configured.Address, port), string.Join(", ", _localEndPoints));
        }
    }

    public void Start()
    {
        foreach (var loop in _loops)
        {
            loop.Start();
        }
    }

    /// <summary>Closes the sockets, which unblocks the receiving threads, and waits for them; false if one did not end in time.</summary>
    public bool Stop(TimeSpan timeout)
    {
        var allEnded = true;
        foreach (var loop in _loops)
        {
            loop.RequestStop();
        }
        CloseSockets();
        foreach (var loop in _loops)
        {
            if (!loop.Join(timeout))
            {
                _logger.UdpThreadStuck(loop.Name, timeout);
                allEnded = false;
            }
        }
        return allEnded;
    }

    public void Dispose() => CloseSockets();

    private void CloseSockets()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }
}
