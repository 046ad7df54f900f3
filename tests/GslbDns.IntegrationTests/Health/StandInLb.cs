using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GslbDns.IntegrationTests.Health;

/// <summary>How a stand-in load balancer answers health checks.</summary>
public enum LbMode
{
    /// <summary>HTTP 200 with body "ok".</summary>
    Up,

    /// <summary>Not listening: connections are refused.</summary>
    Stopped,

    /// <summary>Accepts connections and never answers.</summary>
    Blackhole,

    /// <summary>Answers with <see cref="StandInLb.Status"/> and <see cref="StandInLb.Body"/>.</summary>
    Custom,

    /// <summary>200 "ok" and 503 on alternate requests.</summary>
    Flapping,
}

/// <summary>
/// A real listener on a loopback address that plays a regional load balancer for health checks:
/// HTTP/1.1 (optionally over TLS with a self-signed certificate), or just TCP accepts.
/// It records every request it receives.
/// </summary>
public sealed class StandInLb : IAsyncDisposable
{
    private readonly IPAddress _address;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly List<Socket> _held = [];
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;
    private int _served;

    private StandInLb(IPAddress address, int port, X509Certificate2? certificate)
    {
        _address = address;
        Port = port;
        _certificate = certificate;
    }

    public int Port { get; }

    public IPAddress Address => _address;

    public LbMode Mode { get; private set; } = LbMode.Stopped;

    public int Status { get; set; } = 200;

    public string Body { get; set; } = "ok";

    /// <summary>Requests from this source address get 503 whatever the mode (one prober's view differs from the others').</summary>
    public IPAddress? FailFrom { get; set; }

    /// <summary>Request heads received ("GET /healthz HTTP/1.1\r\nHost: ...").</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public int Accepted;

    /// <summary>Starts listening on <paramref name="address"/> (port 0: any free port).</summary>
    public static StandInLb Start(IPAddress address, int port = 0, bool tls = false, string certificateHost = "lb.example.net")
    {
        var lb = new StandInLb(address, port == 0 ? FreePort(address) : port, tls ? SelfSigned(certificateHost) : null);
        lb.Set(LbMode.Up);
        return lb;
    }

    public static bool CanBind(IPAddress address)
    {
        try
        {
            using var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort(IPAddress address)
    {
        using var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>Switches behaviour; Stopped closes the listener (connections refused), anything else (re)opens it.</summary>
    public void Set(LbMode mode)
    {
        lock (_held)
        {
            Mode = mode;
            if (mode == LbMode.Stopped)
            {
                _listener?.Stop();
                _listener = null;
                foreach (var socket in _held) socket.Dispose();
                _held.Clear();
                return;
            }
            if (_listener is not null) return;
            var listener = new TcpListener(_address, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start(64);
            _listener = listener;
            _accepting = AcceptAsync(listener);
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref Accepted);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        if (Mode == LbMode.Blackhole)
        {
            lock (_held) _held.Add(socket);
            return;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, timeout.Token);
                stream = ssl;
            }
            await using (stream)
            {
                var head = await ReadHeadAsync(stream, timeout.Token);
                if (head is null) return;
                _requests.Enqueue(head);
                int status = Mode switch
                {
                    LbMode.Custom => Status,
                    LbMode.Flapping => Interlocked.Increment(ref _served) % 2 == 0 ? 503 : 200,
                    _ => 200,
                };
                if (FailFrom is { } failing && socket.RemoteEndPoint is IPEndPoint { Address: var from } && from.Equals(failing)) status = 503;
                string body = Mode == LbMode.Custom ? Body : status == 200 ? "ok" : "unavailable";
                bool head_ = head.StartsWith("HEAD ", StringComparison.Ordinal);
                var reply = $"HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{(head_ ? "" : body)}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(reply), timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            // A client that gave up (a timed-out probe, a rejected certificate) is not the LB's problem.
        }
    }

    private static async Task<string?> ReadHeadAsync(Stream stream, CancellationToken token)
    {
        var buffer = new byte[8192];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), token);
            if (read == 0) return null;
            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0) return text[..end];
        }
        return null;
    }

    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Set(LbMode.Stopped);
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }
        _certificate?.Dispose();
        _stop.Dispose();
    }
}
