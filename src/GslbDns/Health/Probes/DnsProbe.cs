using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace GslbDns.Health.Probes;

/// <summary>
/// <c>check: dns</c>: one query over UDP from a fresh socket (random id, RD clear) for the check's
/// name and type; up when the reply matches the query and is NOERROR with an answer. A truncated
/// reply is asked again over TCP (RFC 7766 §5) under the same cancellation.
/// Cancellation (the check's timeout, shutdown) throws <see cref="OperationCanceledException"/>;
/// no reply at all therefore ends as a cancellation, which the scheduler reports as a timeout.
/// </summary>
public sealed class DnsProbe(TimeProvider? time = null, Random? random = null) : IHealthProbe
{
    private const int ReplyLimit = ushort.MaxValue;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Random _random = random ?? Random.Shared;

    public CheckKind Kind => CheckKind.Dns;

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellation)
    {
        string text = target.Spec.QueryName ?? target.ServiceName;
        if (!DnsName.TryParse(text, DnsName.Root, out var name, out string error)) return ProbeResult.Fail($"DNS query name invalid: {error}", TimeSpan.Zero);

        // Two bytes in front of the query hold the TCP length prefix, should TCP be needed.
        byte[] query = ArrayPool<byte>.Shared.Rent(2 + DnsProbeMessage.MaxQueryLength);
        byte[] reply = ArrayPool<byte>.Shared.Rent(ReplyLimit);
        try
        {
            ushort id = (ushort)_random.Next(0x10000);
            int length = DnsProbeMessage.WriteQuery(query.AsSpan(2), id, name.Wire, target.Spec.QueryType);
            BinaryPrimitives.WriteUInt16BigEndian(query, (ushort)length);
            long start = _time.GetTimestamp();

            var (received, failure) = await ExchangeUdpAsync(target, query.AsMemory(2, length), reply, cancellation).ConfigureAwait(false);
            if (failure is not null) return ProbeResult.Fail(failure, _time.GetElapsedTime(start));
            failure = DnsProbeMessage.Match(reply.AsSpan(0, received), query.AsSpan(2, length), out bool truncated);
            if (failure is null && truncated)
            {
                (received, failure) = await ExchangeTcpAsync(target, query.AsMemory(0, 2 + length), reply, cancellation).ConfigureAwait(false);
                failure ??= DnsProbeMessage.Match(reply.AsSpan(0, received), query.AsSpan(2, length), out _);
            }
            var latency = _time.GetElapsedTime(start);
            return failure is null ? DnsProbeMessage.Judge(reply.AsSpan(0, received), latency) : ProbeResult.Fail(failure, latency);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(reply);
            ArrayPool<byte>.Shared.Return(query);
        }
    }

    /// <summary>
    /// Sends the query and waits for one datagram. The socket is connected, so the kernel delivers
    /// only datagrams from the target, and an ICMP port-unreachable surfaces as a refusal.
    /// </summary>
    private static async ValueTask<(int Received, string? Failure)> ExchangeUdpAsync(ProbeTarget target, ReadOnlyMemory<byte> query, byte[] reply, CancellationToken cancellation)
    {
        var (socket, failure) = await ProbeSocket.ConnectAsync(target, ProtocolType.Udp, cancellation).ConfigureAwait(false);
        if (socket is null) return (0, failure);
        var abort = ProbeSocket.AbortOnCancel(socket, cancellation);
        try
        {
            await socket.SendAsync(query, SocketFlags.None, cancellation).ConfigureAwait(false);
            int received = await socket.ReceiveAsync(reply, SocketFlags.None, cancellation).ConfigureAwait(false);
            return (received, null);
        }
        catch (SocketException e) when (!cancellation.IsCancellationRequested)
        {
            return (0, e.SocketErrorCode == SocketError.ConnectionRefused ? "DNS port unreachable" : $"DNS: {e.SocketErrorCode}");
        }
        catch (Exception e) when (cancellation.IsCancellationRequested)
        {
            throw ProbeSocket.Cancelled(e, cancellation);
        }
        finally
        {
            abort.Dispose();
            ProbeSocket.Close(socket);
        }
    }

    /// <summary>The same query over TCP, with the two-byte length prefix (RFC 1035 §4.2.2).</summary>
    private static async ValueTask<(int Received, string? Failure)> ExchangeTcpAsync(ProbeTarget target, ReadOnlyMemory<byte> framedQuery, byte[] reply, CancellationToken cancellation)
    {
        var (socket, failure) = await ProbeSocket.ConnectAsync(target, ProtocolType.Tcp, cancellation).ConfigureAwait(false);
        if (socket is null) return (0, "DNS over TCP: " + failure);
        var abort = ProbeSocket.AbortOnCancel(socket, cancellation);
        try
        {
            await socket.SendAsync(framedQuery, SocketFlags.None, cancellation).ConfigureAwait(false);
            if (!await ReceiveExactlyAsync(socket, reply.AsMemory(0, 2), cancellation).ConfigureAwait(false)) return (0, "DNS over TCP: connection closed");
            int length = BinaryPrimitives.ReadUInt16BigEndian(reply);
            if (!await ReceiveExactlyAsync(socket, reply.AsMemory(0, length), cancellation).ConfigureAwait(false)) return (0, "DNS over TCP: connection closed");
            return (length, null);
        }
        catch (SocketException e) when (!cancellation.IsCancellationRequested)
        {
            return (0, $"DNS over TCP: {e.SocketErrorCode}");
        }
        catch (Exception e) when (cancellation.IsCancellationRequested)
        {
            throw ProbeSocket.Cancelled(e, cancellation);
        }
        finally
        {
            abort.Dispose();
            ProbeSocket.Close(socket);
        }
    }

    private static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellation)
    {
        while (!buffer.IsEmpty)
        {
            int read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).ConfigureAwait(false);
            if (read == 0) return false;
            buffer = buffer[read..];
        }
        return true;
    }
}
