using System.Net;
using System.Net.Sockets;

namespace GslbDns.Listening;

/// <summary>
/// A listening socket could not be bound. The message is one line meant for the operator, e.g.
/// "127.0.0.1:5353/udp: address already in use".
/// </summary>
public sealed class ListenerBindException : Exception
{
    public ListenerBindException(IPEndPoint endpoint, string protocol, SocketException cause)
        : base($"{endpoint}/{protocol}: {Describe(cause)}", cause)
    {
        Endpoint = endpoint;
        Protocol = protocol;
        Error = cause.SocketErrorCode;
    }

    public ListenerBindException(IPEndPoint endpoint, string protocol, string reason)
        : base($"{endpoint}/{protocol}: {reason}")
    {
        Endpoint = endpoint;
        Protocol = protocol;
        Error = SocketError.SocketError;
    }

    /// <summary>The address and port that could not be bound.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>"udp" or "tcp".</summary>
    public string Protocol { get; }

    /// <summary>The socket error, or <see cref="SocketError.SocketError"/> when the failure was not the kernel's.</summary>
    public SocketError Error { get; }

    private static string Describe(SocketException cause) => cause.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available (not assigned to an interface of this machine)",
        SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
        SocketError.AddressFamilyNotSupported => "address family not supported (is IPv6 disabled?)",
        _ => cause.Message,
    };
}
