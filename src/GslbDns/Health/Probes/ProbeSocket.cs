using System.Net;
using System.Net.Sockets;

namespace GslbDns.Health.Probes;

/// <summary>
/// The one place probes open and close sockets: a fresh socket per probe, bound to the check's
/// source address when it has one, connected to the target's IP endpoint (never a name), and
/// closed with a FIN rather than a reset so the load balancer logs a clean close.
/// </summary>
internal static class ProbeSocket
{
    /// <summary>
    /// Opens a socket to <see cref="ProbeTarget.Endpoint"/>. On failure returns null and an
    /// operator-facing detail (<c>connect refused</c>, <c>connect failed: NetworkUnreachable</c>).
    /// Cancellation surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async ValueTask<(Socket? Socket, string? Failure)> ConnectAsync(ProbeTarget target, ProtocolType protocol, CancellationToken cancellation)
    {
        var endpoint = target.Endpoint;
        var source = target.Spec.Source;
        if (source is not null && source.AddressFamily != endpoint.AddressFamily)
        {
            return (null, $"source {source} cannot reach {endpoint.Address}");
        }
        var socket = new Socket(endpoint.AddressFamily, protocol == ProtocolType.Udp ? SocketType.Dgram : SocketType.Stream, protocol);
        try
        {
            if (source is not null)
            {
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    return (null, $"bind {source} failed: {e.SocketErrorCode}");
                }
            }
            if (protocol == ProtocolType.Tcp) socket.NoDelay = true;
            await socket.ConnectAsync(endpoint, cancellation).ConfigureAwait(false);
            return (socket, null);
        }
        catch (SocketException e) when (!cancellation.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, ConnectFailure(e));
        }
        catch (Exception e) when (cancellation.IsCancellationRequested)
        {
            socket.Dispose();
            throw Cancelled(e, cancellation);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static string ConnectFailure(SocketException e) =>
        e.SocketErrorCode == SocketError.ConnectionRefused ? "connect refused" : $"connect failed: {e.SocketErrorCode}";

    /// <summary>
    /// Disposes the socket when <paramref name="cancellation"/> fires, so that no wait (a TLS
    /// handshake, a read from a listener that accepted and went quiet) outlives the check's timeout
    /// even where an API honours the token only loosely.
    /// </summary>
    public static CancellationTokenRegistration AbortOnCancel(Socket socket, CancellationToken cancellation) =>
        cancellation.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket);

    /// <summary>Sends FIN and releases the socket; a peer that already went away is not an error here.</summary>
    public static void Close(Socket socket)
    {
        try
        {
            if (socket.Connected && socket.SocketType == SocketType.Stream) socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    /// <summary>
    /// What a probe throws when a wait ends because the token fired: whatever the aborted operation
    /// threw (a disposed socket, a reset read) becomes the <see cref="OperationCanceledException"/>
    /// the contract promises. Used as <c>catch (Exception e) when (token.IsCancellationRequested)</c>.
    /// </summary>
    public static OperationCanceledException Cancelled(Exception e, CancellationToken cancellation) =>
        e as OperationCanceledException ?? new OperationCanceledException("probe cancelled", e, cancellation);

    /// <summary>The socket error behind an I/O failure, for a short detail.</summary>
    public static string Describe(Exception e) => e switch
    {
        SocketException s => s.SocketErrorCode.ToString(),
        IOException { InnerException: SocketException s } => s.SocketErrorCode.ToString(),
        _ => e.Message,
    };
}
