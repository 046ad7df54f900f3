using System.Net;
using System.Net.Sockets;

namespace GslbDns.IntegrationTests.Listening;

/// <summary>
/// A UDP client connected to the server address: the kernel then only delivers datagrams whose
/// source is exactly that address and port, which checks that replies leave from the address queried.
/// </summary>
internal sealed class UdpClientSocket : IDisposable
{
    private readonly Socket _socket;

    public UdpClientSocket(IPEndPoint server)
    {
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(server);
    }

    public void Send(byte[] datagram) => _socket.Send(datagram);

    public async Task<byte[]> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TcpClientConnection.Deadline);
        var buffer = new byte[65536];
        var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return buffer[..n];
    }

    public void Dispose() => _socket.Dispose();
}
