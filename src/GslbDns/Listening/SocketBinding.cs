using System.Net;
using System.Net.Sockets;

namespace GslbDns.Listening;

/// <summary>Creates bound listening sockets and turns bind failures into <see cref="ListenerBindException"/>.</summary>
internal static class SocketBinding
{
    // Linux values from <asm-generic/socket.h>; .NET has no named option for SO_REUSEPORT.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>Only Linux balances datagrams across SO_REUSEPORT sockets; elsewhere threads share one socket.</summary>
    public static bool CanSpreadWithReusePort => OperatingSystem.IsLinux();

    public static Socket BindUdp(IPEndPoint endpoint, bool reusePort, int receiveBufferBytes, out int actualReceiveBufferBytes)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            OnlyThisFamily(socket);
            if (reusePort)
            {
                // Set only when several sockets share the address: without it a second server
                // process on the same port fails to bind instead of silently taking half the traffic.
                Span<byte> enable = stackalloc byte[sizeof(int)];
                BitConverter.TryWriteBytes(enable, 1);
                socket.SetRawSocketOption(SolSocket, SoReusePort, enable);
            }
            actualReceiveBufferBytes = RaiseReceiveBuffer(socket, receiveBufferBytes);
            socket.Bind(endpoint);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ListenerBindException(endpoint, "udp", e);
        }
    }

    public static Socket BindTcp(IPEndPoint endpoint, int backlog)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            OnlyThisFamily(socket);
            socket.Bind(endpoint);
            socket.Listen(backlog);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new ListenerBindException(endpoint, "tcp", e);
        }
    }

    /// <summary>An IPv6 socket serves IPv6 only; IPv4 is configured as its own endpoint, so "::" never takes 0.0.0.0's port.</summary>
    private static void OnlyThisFamily(Socket socket)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = false;
        }
    }

    private static int RaiseReceiveBuffer(Socket socket, int bytes)
    {
        if (bytes > 0)
        {
            try
            {
                socket.ReceiveBufferSize = bytes;
            }
            catch (SocketException)
            {
                // Best effort: the system default still works, only bursts are absorbed less well.
            }
        }
        return socket.ReceiveBufferSize;
    }
}
