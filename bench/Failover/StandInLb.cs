using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GslbDns.Bench.Failover;

/// <summary>How the stand-in load balancer treats a health probe.</summary>
public enum LbMode
{
    /// <summary>HTTP 200 "ok".</summary>
    Up,

    /// <summary>Listener closed: connections are refused.</summary>
    Refused,

    /// <summary>Connections are accepted and held; nothing is ever sent back.</summary>
    Blackhole,

    /// <summary>200 "ok" and 503 on alternate requests.</summary>
    Flapping,
}

/// <summary>
/// A real HTTP/1.1 listener on a loopback address playing a regional load balancer for the
/// server's health checks. One request per connection, as the probes send it.
/// </summary>
public sealed class StandInLb : IDisposable
{
    private readonly IPEndPoint _endpoint;
    private readonly List<Socket> _held = [];
    private readonly object _gate = new();
    private TcpListener? _listener;
    private int _served;

    public StandInLb(IPEndPoint endpoint)
    {
        _endpoint = endpoint;
    }

    public LbMode Mode { get; private set; } = LbMode.Refused;

    /// <summary>Requests answered so far (200 or 503).</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>Switches behaviour. Refused closes the listener and every held connection; anything else (re)opens it.</summary>
    public void Set(LbMode mode)
    {
        lock (_gate)
        {
            Mode = mode;
            if (mode != LbMode.Blackhole)
            {
                foreach (var socket in _held) socket.Dispose();
                _held.Clear();
            }
            if (mode == LbMode.Refused)
            {
                _listener?.Stop();
                _listener = null;
                return;
            }
            if (_listener is not null) return;
            var listener = new TcpListener(_endpoint);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start(64);
            _listener = listener;
            _ = AcceptAsync(listener);
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // the listener was stopped
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        lock (_gate)
        {
            if (Mode == LbMode.Blackhole)
            {
                _held.Add(socket);
                return;
            }
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            if (!await ReadHeadAsync(stream, timeout.Token)) return;
            bool fail = Mode == LbMode.Flapping && Interlocked.Increment(ref _served) % 2 == 0;
            if (Mode != LbMode.Flapping) Interlocked.Increment(ref _served);
            string body = fail ? "unavailable" : "ok";
            string reply = $"HTTP/1.1 {(fail ? "503 Service Unavailable" : "200 OK")}\r\nContent-Type: text/plain\r\n" +
                $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A probe that gave up at its timeout is not the LB's problem.
        }
    }

    private static async Task<bool> ReadHeadAsync(Stream stream, CancellationToken token)
    {
        var buffer = new byte[8192];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), token);
            if (read == 0) return false;
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0) return true;
        }
        return false;
    }

    public void Dispose() => Set(LbMode.Refused);
}
