using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GslbDns.Tests.Health;

/// <summary>
/// A hand-written HTTP/1.1 (optionally TLS) server on loopback, port 0: it records what the load
/// balancer would see (request head, peer address, SNI, how the client closed) and answers with
/// the raw response <see cref="Respond"/> returns, or never answers when that is null.
/// </summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted, _gracefulCloses;

    public TestHttpServer(Func<string, string?> respond, X509Certificate2? certificate = null)
    {
        Respond = respond;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public Func<string, string?> Respond { get; }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Connections the client ended with a FIN (the server read end-of-stream, not a reset).</summary>
    public int GracefulCloses => Volatile.Read(ref _gracefulCloses);

    public ConcurrentQueue<string> Requests { get; } = new();

    public ConcurrentQueue<IPEndPoint> Peers { get; } = new();

    public ConcurrentQueue<string> ServerNames { get; } = new();

    public static string Response(int status, string body = "", string? headers = null) =>
        $"HTTP/1.1 {status} X\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{headers}\r\n{body}";

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref _accepted);
            Peers.Enqueue((IPEndPoint)socket.RemoteEndPoint!);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using var _ = socket;
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                stream = tls;
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateSelectionCallback = (_, name) =>
                    {
                        ServerNames.Enqueue(name ?? "");
                        return _certificate;
                    },
                }, _stop.Token);
            }
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0) return;
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            Requests.Enqueue(head.ToString());
            string? response = Respond(head.ToString());
            if (response is null)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }
            await stream.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
            await stream.FlushAsync(_stop.Token);
            socket.Shutdown(SocketShutdown.Send);
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
            }
            Interlocked.Increment(ref _gracefulCloses);
        }
        catch (Exception)
        {
            // A refused certificate, a reset or the server stopping: the probe's result tells.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
