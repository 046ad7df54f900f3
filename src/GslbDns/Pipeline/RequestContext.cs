using System.Net;
using System.Net.Sockets;

namespace GslbDns.Pipeline;

public enum Transport : byte
{
    Udp,
    Tcp,
}

/// <summary>What the listener knows about a request: how it came and from where.</summary>
public readonly struct RequestContext
{
    public RequestContext(Transport transport, ClientAddress client, ushort clientPort = 0, ClientAddress server = default, ushort serverPort = 0)
    {
        Transport = transport;
        Client = client;
        ClientPort = clientPort;
        Server = server;
        ServerPort = serverPort;
    }

    public Transport Transport { get; }

    /// <summary>The address the packet came from (the resolver, not necessarily the end client).</summary>
    public ClientAddress Client { get; }

    /// <summary>The source port (dnstap and the query log record it); 0 when unknown.</summary>
    public ushort ClientPort { get; }

    /// <summary>Our address the query was sent to (dnstap's response_address); meaningful when <see cref="ServerPort"/> is not 0.</summary>
    public ClientAddress Server { get; }

    /// <summary>Our port the query was sent to; 0 when the listener does not say.</summary>
    public ushort ServerPort { get; }
}

/// <summary>
/// An IP address as 128 bits with IPv4 held as an IPv4-mapped IPv6 address (::ffff:a.b.c.d),
/// so look-up trees have one key space and no allocation is needed per packet.
/// </summary>
public readonly record struct ClientAddress(UInt128 Bits, bool IsIPv4)
{
    public static readonly UInt128 MappedPrefix = (UInt128)0xffff << 32;

    public static ClientAddress FromIPv4(uint address) => new(MappedPrefix | address, true);

    public static ClientAddress FromIPv6(ReadOnlySpan<byte> sixteenBytes)
    {
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(sixteenBytes);
        return (bits >> 32) == 0xffff ? new ClientAddress(bits, true) : new ClientAddress(bits, false);
    }

    public static ClientAddress FromIPAddress(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> four = stackalloc byte[4];
            address.TryWriteBytes(four, out _);
            return FromIPv4(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(four));
        }
        Span<byte> sixteen = stackalloc byte[16];
        address.TryWriteBytes(sixteen, out _);
        return FromIPv6(sixteen);
    }

    /// <summary>Reads the address out of a socket address buffer without allocating.</summary>
    public static ClientAddress FromSocketAddress(SocketAddress address)
    {
        var buffer = address.Buffer.Span;
        if (address.Family == AddressFamily.InterNetwork)
        {
            // sockaddr_in: family(2) port(2) addr(4)
            return FromIPv4(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4, 4)));
        }
        if (address.Family == AddressFamily.InterNetworkV6)
        {
            // sockaddr_in6: family(2) port(2) flowinfo(4) addr(16)
            return FromIPv6(buffer.Slice(8, 16));
        }
        return default;
    }

    /// <summary>The port of a sockaddr_in / sockaddr_in6 buffer (network byte order at offset 2).</summary>
    public static ushort PortOf(ReadOnlySpan<byte> socketAddress) =>
        socketAddress.Length >= 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(socketAddress[2..]) : (ushort)0;

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, Bits);
        return IsIPv4 ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
    }

    public override string ToString() => ToIPAddress().ToString();
}
