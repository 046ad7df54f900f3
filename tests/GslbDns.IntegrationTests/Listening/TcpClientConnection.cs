using System.Net;
using System.Net.Sockets;

namespace GslbDns.IntegrationTests.Listening;

/// <summary>A raw TCP client socket whose reads give up after a deadline instead of hanging a test.</summary>
internal sealed class TcpClientConnection : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;

    private TcpClientConnection(Socket socket) => _socket = socket;

    /// <param name="from">The local address to connect from (another loopback address is another client).</param>
    /// <param name="receiveBuffer">A small receive buffer makes a client that does not read stall the server's sends sooner.</param>
    public static async Task<TcpClientConnection> ConnectAsync(IPEndPoint endpoint, IPAddress? from = null, int? receiveBuffer = null)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is int size) socket.ReceiveBufferSize = size;
        if (from is not null) socket.Bind(new IPEndPoint(from, 0));
        await socket.ConnectAsync(endpoint);
        return new TcpClientConnection(socket);
    }

    public async Task SendAsync(byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>Reads one length-prefixed message; fails the test if the connection closes first or the deadline passes.</summary>
    public async Task<byte[]> ReceiveMessageAsync()
    {
        var prefix = await ReceiveExactlyAsync(2);
        return await ReceiveExactlyAsync((prefix[0] << 8) | prefix[1]);
    }

    /// <summary>True when the server closes the connection (end of stream or reset) before the deadline.</summary>
    public Task<bool> WaitForCloseAsync(TimeSpan deadline) => WaitForEndAsync(deadline, resetCounts: true);

    /// <summary>
    /// True when the server closes with FIN (end of stream) before the deadline; a reset fails with
    /// the <see cref="SocketException"/> a resolver would log. RFC 7766 §6.2.3: close gracefully.
    /// </summary>
    public Task<bool> WaitForEndOfStreamAsync(TimeSpan deadline) => WaitForEndAsync(deadline, resetCounts: false);

    private async Task<bool> WaitForEndAsync(TimeSpan deadline, bool resetCounts)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var buffer = new byte[512];
        try
        {
            while (true)
            {
                if (await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException e) when (resetCounts && e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ReceiveExactlyAsync(int count)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var buffer = new byte[count];
        var received = 0;
        while (received < count)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new InvalidOperationException($"connection closed after {received} of {count} bytes");
            }
            received += n;
        }
        return buffer;
    }
}
