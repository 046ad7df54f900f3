using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>A secondary's side of AXFR over TCP: sends the request, reads messages until the closing SOA.</summary>
public static class TransferClient
{
    /// <summary>The raw messages of one transfer (the first alone when it is an error or has a single SOA).</summary>
    public static async Task<List<byte[]>> TransferAsync(IPEndPoint server, byte[] request)
    {
        using var tcp = new TcpClient(server.AddressFamily);
        await tcp.ConnectAsync(server);
        var stream = tcp.GetStream();
        await WireClient.WriteFramedAsync(stream, request);
        var messages = new List<byte[]>();
        int soas = 0;
        while (true)
        {
            var message = await WireClient.ReadFramedAsync(stream);
            messages.Add(message);
            if ((message[3] & 0x0f) != 0) return messages;
            soas += CountAnswerSoas(message);
            if (soas >= 2) return messages;
        }
    }

    public static byte[] Axfr(string zone, ushort id = 0x4242, RecordType type = RecordType.Axfr) =>
        new QueryBuilder { Id = id, RecursionDesired = false }.Build(zone, (ushort)type);

    /// <summary>Every answer record of the messages, decoded by ARSoft.Tools.Net (an independent decoder), as text.</summary>
    public static List<string> Records(IEnumerable<byte[]> messages) =>
        [.. messages.SelectMany(m => DnsMessage.Parse(m).AnswerRecords).Select(r => r.ToString())];

    private static int CountAnswerSoas(byte[] message) =>
        DnsMessage.Parse(message).AnswerRecords.Count(r => r.RecordType == RecordType.Soa);

    public static ushort Rcode(byte[] message) => (ushort)(message[3] & 0x0f);

    public static ushort AnswerCount(byte[] message) => BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6));
}
