using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;

namespace GslbDns.IntegrationTests.Infrastructure;

/// <summary>Sends raw bytes over real UDP and TCP; replies are decoded with ARSoft.Tools.Net, an independent decoder.</summary>
public sealed class WireClient
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public WireClient(IPEndPoint server)
    {
        Server = server;
    }

    public IPEndPoint Server { get; }

    public async Task<byte[]?> UdpRawAsync(byte[] query, TimeSpan? timeout = null)
    {
        using var udp = new UdpClient(Server.AddressFamily);
        await udp.SendAsync(query, Server);
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            var result = await udp.ReceiveAsync(cts.Token);
            return result.Buffer;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<byte[]> TcpRawAsync(byte[] query)
    {
        using var tcp = new TcpClient(Server.AddressFamily);
        await tcp.ConnectAsync(Server);
        var stream = tcp.GetStream();
        await WriteFramedAsync(stream, query);
        return await ReadFramedAsync(stream);
    }

    public static async Task WriteFramedAsync(Stream stream, byte[] message)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed, 2);
        await stream.WriteAsync(framed);
    }

    public static async Task<byte[]> ReadFramedAsync(Stream stream)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, cts.Token);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, cts.Token);
        return message;
    }

    public async Task<DnsMessage> UdpAsync(byte[] query)
    {
        var reply = await UdpRawAsync(query) ?? throw new TimeoutException("no UDP reply");
        return DnsMessage.Parse(reply);
    }

    public async Task<DnsMessage> TcpAsync(byte[] query) => DnsMessage.Parse(await TcpRawAsync(query));

    public Task<DnsMessage> QueryAsync(bool tcp, string name, RecordType type, QueryBuilder? builder = null)
    {
        var bytes = (builder ?? new QueryBuilder()).Build(name, (ushort)type);
        return tcp ? TcpAsync(bytes) : UdpAsync(bytes);
    }
}
