using System.Net;

namespace GslbDns.Listening;

/// <summary>Where and how the server accepts DNS traffic. Reply sizes are the handler's business.</summary>
public sealed record ListenerOptions
{
    /// <summary>
    /// Addresses to serve, each over UDP and TCP on the same port. Port 0 picks a free port shared by
    /// both transports. A wildcard address (0.0.0.0 or ::) is served over UDP by one socket per local
    /// unicast address of that family found at start (see <see cref="DnsServerListeners"/>).
    /// </summary>
    public required IReadOnlyList<IPEndPoint> Endpoints { get; init; }

    /// <summary>
    /// UDP receive threads per bound address. Above 1 on Linux each thread gets its own socket
    /// (SO_REUSEPORT) so the kernel spreads datagrams; elsewhere the threads share one socket.
    /// </summary>
    public int UdpThreadsPerEndpoint { get; init; } = 1;

    /// <summary>
    /// On Linux, receive and send UDP in batches (recvmmsg/sendmmsg); off, or on other systems, one
    /// datagram per system call. Off only to rule the batching out when chasing a problem.
    /// </summary>
    public bool UdpBatching { get; init; } = true;

    /// <summary>Requested SO_RCVBUF for UDP sockets; best effort, the kernel may cap it (net.core.rmem_max).</summary>
    public int UdpReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long a TCP connection may wait for the next query, take to deliver a started query, or
    /// take to accept a reply before it is closed. RFC 7766 §6.2.3 suggests timeouts of a few seconds.
    /// </summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Open TCP connections over all endpoints together. A connection accepted beyond it is closed at
    /// once, so the client learns immediately and can retry (RFC 7766 §6.2.2 leaves the policy to the server).
    /// </summary>
    public int TcpMaxConnections { get; init; } = 256;

    /// <summary>Open TCP connections one client address may hold at once, within <see cref="TcpMaxConnections"/>.</summary>
    public int TcpMaxConnectionsPerClient { get; init; } = 16;

    /// <summary>
    /// Replies a TCP connection holds back to send in one write when the client pipelines queries.
    /// Queries are answered in order (RFC 7766 §6.2.1.1), so this bounds the read-ahead per connection.
    /// </summary>
    public int TcpMaxPipelined { get; init; } = 16;

    /// <summary>Largest TCP message accepted, and room given to the handler for a TCP reply. At most 65535 (RFC 1035 §4.2.2).</summary>
    public int TcpMaxMessageSize { get; init; } = 65535;

    /// <summary>Pending connections the kernel queues for each TCP listening socket.</summary>
    public int TcpListenBacklog { get; init; } = 128;

    /// <summary>How long stopping waits for TCP connections to finish the reply in progress before cutting them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem with these options, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Endpoints is null || Endpoints.Count == 0)
        {
            problems.Add("Endpoints: at least one address to listen on is required");
        }
        else
        {
            for (var i = 0; i < Endpoints.Count; i++)
            {
                if (Endpoints[i] is null)
                {
                    problems.Add($"Endpoints[{i}]: is empty");
                }
            }
        }
        if (UdpThreadsPerEndpoint < 1 || UdpThreadsPerEndpoint > 256)
        {
            problems.Add($"UdpThreadsPerEndpoint: {UdpThreadsPerEndpoint} is outside 1..256");
        }
        if (UdpReceiveBufferBytes < 0)
        {
            problems.Add($"UdpReceiveBufferBytes: {UdpReceiveBufferBytes} is negative (0 keeps the system default)");
        }
        if (TcpIdleTimeout <= TimeSpan.Zero)
        {
            problems.Add($"TcpIdleTimeout: {TcpIdleTimeout} must be positive");
        }
        if (TcpMaxConnections < 1)
        {
            problems.Add($"TcpMaxConnections: {TcpMaxConnections} must be at least 1");
        }
        if (TcpMaxPipelined < 1)
        {
            problems.Add($"TcpMaxPipelined: {TcpMaxPipelined} must be at least 1");
        }
        if (TcpMaxMessageSize < DnsHeader.Length || TcpMaxMessageSize > ushort.MaxValue)
        {
            problems.Add($"TcpMaxMessageSize: {TcpMaxMessageSize} is outside {DnsHeader.Length}..{ushort.MaxValue}");
        }
        if (TcpListenBacklog < 1)
        {
            problems.Add($"TcpListenBacklog: {TcpListenBacklog} must be at least 1");
        }
        if (ShutdownTimeout < TimeSpan.Zero)
        {
            problems.Add($"ShutdownTimeout: {ShutdownTimeout} is negative");
        }
        return problems;
    }
}
