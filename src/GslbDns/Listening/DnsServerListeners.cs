using System.Net;
using System.Net.Sockets;
using GslbDns.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

/// <summary>
/// All UDP and TCP listeners of the server as one hosted service. Each configured endpoint is served
/// over TCP and UDP on the same port.
/// </summary>
/// <remarks>
/// <see cref="StartAsync"/> binds every socket before serving any, and on failure closes them all and
/// throws <see cref="ListenerBindException"/> with a one-line message such as
/// "127.0.0.1:5353/udp: address already in use", so the host can print it and exit non-zero.
/// A wildcard endpoint is served over TCP on the wildcard, and over UDP on each local unicast address
/// present at start (IPv6 link-local excluded): .NET cannot set the source address of a datagram, and
/// a reply from a different address than the one queried is dropped by resolvers.
/// </remarks>
public sealed class DnsServerListeners : IHostedService, IAsyncDisposable
{
    // An ephemeral TCP port may already be taken for UDP by someone else; try a few others.
    private const int EphemeralPortAttempts = 8;
    private static readonly TimeSpan UdpJoinTimeout = TimeSpan.FromSeconds(2);

    private readonly ListenerOptions _options;
    private readonly IQueryHandler _handler;
    private readonly IZoneTransfer? _transfer;
    private readonly ILogger _logger;
    private readonly List<DnsTcpListener> _tcp = [];
    private readonly List<UdpListener> _udp = [];
    private TcpConnectionSet? _connections;
    private IReadOnlyList<IPEndPoint> _bound = [];
    private int _state; // 0 new, 1 started, 2 stopped

    /// <param name="transfer">Zone transfers on TCP connections; null answers them through the handler (REFUSED).</param>
    public DnsServerListeners(ListenerOptions options, IQueryHandler handler, ILogger<DnsServerListeners> logger, IZoneTransfer? transfer = null)
    {
        _options = options;
        _handler = handler;
        _transfer = transfer;
        _logger = logger;
    }

    /// <summary>
    /// The configured endpoints as bound, in configuration order, with the real port when port 0 was
    /// configured (the same for UDP and TCP). Empty before <see cref="StartAsync"/>.
    /// </summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints => _bound;

    /// <summary>The concrete UDP addresses bound, wildcards expanded.</summary>
    public IReadOnlyList<IPEndPoint> UdpEndpoints => [.. _udp.SelectMany(u => u.LocalEndPoints)];

    /// <summary>True from the moment every socket is bound and receiving until <see cref="StopAsync"/> begins.</summary>
    public bool Serving => Volatile.Read(ref _state) == 1 && Volatile.Read(ref _bound).Count > 0;

    /// <summary>Currently open TCP connections.</summary>
    public int OpenTcpConnections => _connections?.Count ?? 0;

    /// <summary>TCP connections refused at the connection cap since start.</summary>
    public long RefusedTcpConnections => _connections?.Refused ?? 0;

    /// <summary>TCP connections refused because their client address had its share open.</summary>
    public long RefusedTcpConnectionsPerClient => _connections?.RefusedPerClient ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The listeners were already started.");
        }
        var problems = _options.Validate();
        if (problems.Count > 0)
        {
            Volatile.Write(ref _state, 2);
            throw new ArgumentException("Invalid listener options: " + string.Join("; ", problems));
        }

        _connections = new TcpConnectionSet(_options.TcpMaxConnections, _options.TcpIdleTimeout, _options.TcpMaxConnectionsPerClient);
        var bound = new List<IPEndPoint>();
        try
        {
            foreach (var endpoint in _options.Endpoints)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bound.Add(BindEndpoint(endpoint));
            }
        }
        catch
        {
            CloseAll();
            _connections.Dispose();
            Volatile.Write(ref _state, 2);
            throw;
        }

        foreach (var udp in _udp)
        {
            udp.Start();
        }
        foreach (var tcp in _tcp)
        {
            tcp.Start();
        }
        Volatile.Write(ref _bound, bound);
        for (var i = 0; i < bound.Count; i++)
        {
            _logger.Listening(bound[i], string.Join(", ", _udp[i].LocalEndPoints), _options.UdpThreadsPerEndpoint);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting and receiving, lets TCP connections finish the reply in progress (up to
    /// <see cref="ListenerOptions.ShutdownTimeout"/> or until <paramref name="cancellationToken"/> fires), then closes them.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 2, 1) != 1)
        {
            return;
        }
        var accepting = Task.WhenAll(_tcp.Select(t => t.StopAcceptingAsync()));
        foreach (var udp in _udp)
        {
            udp.Stop(UdpJoinTimeout);
        }
        await accepting.ConfigureAwait(false);
        _logger.Stopping(_connections!.Count, _options.ShutdownTimeout);
        var cut = await _connections!.CloseAllAsync(_options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
        if (cut > 0)
        {
            _logger.TcpConnectionsCut(cut, _options.ShutdownTimeout);
        }
        _connections.Dispose();
        _logger.Stopped();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _state, 2) == 0)
        {
            CloseAll();
        }
    }

    /// <summary>Binds TCP first, then UDP on the port TCP got, so port 0 yields one port for both.</summary>
    private IPEndPoint BindEndpoint(IPEndPoint endpoint)
    {
        var attempts = endpoint.Port == 0 ? EphemeralPortAttempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            var tcp = new DnsTcpListener(endpoint, _options, _handler, _connections!, _logger) { Transfer = _transfer };
            tcp.Bind(endpoint.Port);
            var port = tcp.LocalEndPoint.Port;
            var udp = new UdpListener(endpoint, _options, _handler, _logger);
            try
            {
                udp.Bind(port);
            }
            catch (ListenerBindException e) when (e.Error == SocketError.AddressAlreadyInUse && attempt < attempts)
            {
                tcp.Dispose();
                continue;
            }
            catch
            {
                tcp.Dispose();
                throw;
            }
            _tcp.Add(tcp);
            _udp.Add(udp);
            return new IPEndPoint(endpoint.Address, port);
        }
    }

    private void CloseAll()
    {
        foreach (var tcp in _tcp)
        {
            tcp.Dispose();
        }
        foreach (var udp in _udp)
        {
            udp.Dispose();
        }
    }
}
