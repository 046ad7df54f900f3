using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace GslbDns.Tests.Health;

/// <summary>
/// A UDP (and, when asked, TCP on the same port) DNS responder on loopback: <see cref="Answer"/>
/// turns each query into a reply, or null for silence. It counts the queries it received, so a
/// test of silence can show the query did arrive.
/// </summary>
internal sealed class TestDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp;
    private readonly TcpListener? _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _udpQueries, _tcpQueries;

    public TestDnsServer(Func<byte[], bool, byte[]?> answer, bool tcp = false)
    {
        Answer = answer;
        (_udp, _tcp) = Bind(tcp);
        _loops.Add(UdpLoopAsync());
        if (_tcp is not null) _loops.Add(TcpLoopAsync(_tcp));
    }

    /// <summary>(query, over TCP) → reply.</summary>
    public Func<byte[], bool, byte[]?> Answer { get; }

    public IPEndPoint Endpoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    public IPEndPoint? LastPeer { get; private set; }

    /// <summary>A reply echoing the query's header and question, with <paramref name="answers"/> A records.</summary>
    public static byte[] Reply(byte[] query, int rcode = 0, int answers = 1, bool truncated = false, int idDelta = 0)
    {
        var reply = new byte[query.Length + answers * 16];
        query.CopyTo(reply, 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(query) + idDelta));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), (ushort)(0x8400 | (truncated ? 0x0200 : 0) | rcode));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)answers);
        for (int i = 0, pos = query.Length; i < answers; i++, pos += 16)
        {
            byte[] record = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, (byte)(1 + i)];
            record.CopyTo(reply, pos);
        }
        return reply;
    }

    private static (UdpClient, TcpListener?) Bind(bool tcp)
    {
        for (int attempt = 0; ; attempt++)
        {
            var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            if (!tcp) return (udp, null);
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, ((IPEndPoint)udp.Client.LocalEndPoint!).Port);
                listener.Start();
                return (udp, listener);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
    }

    private async Task UdpLoopAsync()
    {
        try
        {
            while (true)
            {
                var received = await _udp.ReceiveAsync(_stop.Token);
                Interlocked.Increment(ref _udpQueries);
                LastPeer = received.RemoteEndPoint;
                if (Answer(received.Buffer, false) is { } reply) await _udp.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    private async Task TcpLoopAsync(TcpListener listener)
    {
        try
        {
            while (true)
            {
                using var socket = await listener.AcceptSocketAsync(_stop.Token);
                var prefix = new byte[2];
                await socket.ReceiveAsync(prefix, SocketFlags.None, _stop.Token);
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                for (int got = 0; got < query.Length;) got += await socket.ReceiveAsync(query.AsMemory(got), SocketFlags.None, _stop.Token);
                Interlocked.Increment(ref _tcpQueries);
                if (Answer(query, true) is not { } reply) continue;
                var framed = new byte[reply.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                reply.CopyTo(framed, 2);
                await socket.SendAsync(framed, SocketFlags.None, _stop.Token);
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp?.Stop();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
