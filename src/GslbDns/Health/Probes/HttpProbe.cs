using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Unicode;

namespace GslbDns.Health.Probes;

/// <summary>
/// <c>check: http</c> and <c>check: https</c>: one HTTP/1.1 request on a connection of its own
/// (<c>Connection: close</c>), then the status must be in <c>expect.status</c> and the body, when
/// <c>expect.body</c> is set, must contain it. HTTP is written over the socket here rather than
/// through HttpClient: a pooled client could reuse a connection and hide a dead listener, and the
/// request, SNI and failure details stay exactly what the check says.
/// Cancellation (the check's timeout, shutdown) throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class HttpProbe : IHealthProbe
{
    private const int RequestLimit = 4096;

    private readonly TimeProvider _time;
    private readonly X509Certificate2Collection? _trustedRoots;

    /// <param name="kind"><see cref="CheckKind.Http"/> or <see cref="CheckKind.Https"/>.</param>
    /// <param name="trustedRoots">https with tls-verify: roots to trust instead of the system store.</param>
    public HttpProbe(CheckKind kind, TimeProvider? time = null, X509Certificate2Collection? trustedRoots = null)
    {
        if (kind is not (CheckKind.Http or CheckKind.Https)) throw new ArgumentOutOfRangeException(nameof(kind), kind, "http or https");
        Kind = kind;
        _time = time ?? TimeProvider.System;
        _trustedRoots = trustedRoots;
    }

    public CheckKind Kind { get; }

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellation)
    {
        var spec = target.Spec;
        string host = (spec.Host ?? target.ServiceName).TrimEnd('.');
        long start = _time.GetTimestamp();
        if (!IsToken(spec.Method) || !IsVisible(spec.Path) || !IsVisible(host)) return ProbeResult.Fail("HTTP request invalid", TimeSpan.Zero);

        var (socket, failure) = await ProbeSocket.ConnectAsync(target, ProtocolType.Tcp, cancellation).ConfigureAwait(false);
        if (socket is null) return ProbeResult.Fail(failure!, _time.GetElapsedTime(start));
        var abort = ProbeSocket.AbortOnCancel(socket, cancellation);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (Kind == CheckKind.Https)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                var check = new TlsCertificateCheck();
                try
                {
                    await tls.AuthenticateAsClientAsync(check.Options(host, spec.TlsVerify, _trustedRoots), cancellation).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellation.IsCancellationRequested && e is AuthenticationException or IOException)
                {
                    return ProbeResult.Fail("TLS: " + check.Describe(e), _time.GetElapsedTime(start));
                }
            }

            if (!await WriteRequestAsync(stream, spec.Method, spec.Path, host, cancellation).ConfigureAwait(false))
            {
                return ProbeResult.Fail("HTTP request too long", _time.GetElapsedTime(start));
            }

            using var reader = new HttpResponseReader(stream);
            bool head = spec.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase);
            string? broken = await reader.ReadAsync(head, keepBody: spec.ExpectBody is not null, cancellation).ConfigureAwait(false);
            var latency = _time.GetElapsedTime(start);
            if (broken is not null) return ProbeResult.Fail(broken, latency);
            return Judge(spec, reader, latency);
        }
        catch (IOException e) when (!cancellation.IsCancellationRequested)
        {
            return ProbeResult.Fail("HTTP: " + ProbeSocket.Describe(e), _time.GetElapsedTime(start));
        }
        catch (Exception e) when (cancellation.IsCancellationRequested)
        {
            throw ProbeSocket.Cancelled(e, cancellation);
        }
        finally
        {
            abort.Dispose();
            await stream.DisposeAsync().ConfigureAwait(false);
            ProbeSocket.Close(socket);
        }
    }

    private static ProbeResult Judge(HealthCheckSpec spec, HttpResponseReader reader, TimeSpan latency)
    {
        int status = reader.Status;
        bool expected = false;
        foreach (var range in spec.ExpectStatus) expected |= range.Contains(status);
        if (!expected)
        {
            // The default range goes without saying; a list the policy wrote is worth repeating.
            return ProbeResult.Fail(spec.ExpectStatus.SequenceEqual(HealthCheckSpec.DefaultStatus)
                ? StatusText(status)
                : $"{StatusText(status)} not in {string.Join(',', spec.ExpectStatus)}", latency);
        }
        if (spec.ExpectBody is { } wanted && !Contains(reader.Body, wanted))
        {
            return ProbeResult.Fail($"body lacks \"{wanted}\"", latency);
        }
        return ProbeResult.Ok(StatusText(status), latency);
    }

    /// <summary>Ordinal substring match of the UTF-8 body (a UTF-8 byte match is an ordinal char match).</summary>
    private static bool Contains(ReadOnlySpan<byte> body, string wanted)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(wanted.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(wanted, bytes);
            return body.IndexOf(bytes.AsSpan(0, length)) >= 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static async ValueTask<bool> WriteRequestAsync(Stream stream, string method, string path, string host, CancellationToken cancellation)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(RequestLimit);
        try
        {
            // RFC 9112 §3 request line, RFC 9110 §7.2 Host; Connection: close so the server ends the exchange.
            if (!Utf8.TryWrite(buffer, $"{method} {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: gslbdns-health\r\nAccept: */*\r\nConnection: close\r\n\r\n", out int written))
            {
                return false;
            }
            await stream.WriteAsync(buffer.AsMemory(0, written), cancellation).ConfigureAwait(false);
            await stream.FlushAsync(cancellation).ConfigureAwait(false);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static readonly string?[] StatusTexts = new string?[600];

    private static string StatusText(int status) =>
        status < StatusTexts.Length ? StatusTexts[status] ??= $"HTTP {status}" : $"HTTP {status}";

    private static bool IsToken(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiLetter(c)) return false;
        }
        return text.Length > 0;
    }

    /// <summary>No spaces or control characters: nothing that could end the line or the field early.</summary>
    private static bool IsVisible(string text)
    {
        foreach (char c in text)
        {
            if (c <= ' ' || c == '\x7f') return false;
        }
        return text.Length > 0;
    }
}
