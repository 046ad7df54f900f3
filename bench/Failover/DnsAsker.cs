using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GslbDns.Bench.Failover;

/// <summary>What one UDP question for the steered name brought back.</summary>
/// <param name="Replied">False when no reply came within the timeout.</param>
/// <param name="Target">The CNAME target in the answer (lower case, no trailing dot), or null.</param>
public readonly record struct DnsAnswer(bool Replied, string? Target)
{
    public bool Names(string target) => Replied && string.Equals(Target, target, StringComparison.Ordinal);
}

/// <summary>
/// Asks the server "NAME A" over UDP, one socket per question so a late reply cannot be taken
/// for the next one, and reads the CNAME target of the answer. Just enough of RFC 1035 for that.
/// </summary>
public sealed class DnsAsker(IPEndPoint server, string name, TimeSpan timeout)
{
    private const byte TypeA = 1, ClassIn = 1;
    private const ushort TypeCname = 5;
    private const int HeaderLength = 12;
    private ushort _id = (ushort)Environment.TickCount;

    public async Task<DnsAnswer> AskAsync()
    {
        ushort id = ++_id;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server);
        await socket.SendAsync(Query(id, name));
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                int length = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (length >= HeaderLength && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
                    return new DnsAnswer(true, CnameTarget(buffer.AsSpan(0, length)));
            }
        }
        catch (OperationCanceledException)
        {
            return new DnsAnswer(false, null);
        }
        catch (SocketException)
        {
            return new DnsAnswer(false, null); // ICMP port unreachable: the server is not there
        }
    }

    private static byte[] Query(ushort id, string name)
    {
        var bytes = new List<byte>(64);
        bytes.AddRange([(byte)(id >> 8), (byte)id, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]); // RD clear: an authoritative question
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.AddRange([0, 0, TypeA, 0, ClassIn]);
        return [.. bytes];
    }

    private static string? CnameTarget(ReadOnlySpan<byte> message)
    {
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int offset = HeaderLength;
        for (int i = 0; i < questions; i++) offset = SkipName(message, offset) + 4;
        for (int i = 0; i < answers; i++)
        {
            offset = SkipName(message, offset);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int dataLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            int data = offset + 10;
            if (type == TypeCname) return ReadName(message, data);
            offset = data + dataLength;
        }
        return null;
    }

    private static int SkipName(ReadOnlySpan<byte> message, int offset)
    {
        while (true)
        {
            byte length = message[offset];
            if (length == 0) return offset + 1;
            if ((length & 0xC0) == 0xC0) return offset + 2; // RFC 1035 §4.1.4: a pointer ends the name
            offset += 1 + length;
        }
    }

    private static string ReadName(ReadOnlySpan<byte> message, int offset)
    {
        var name = new StringBuilder();
        for (int jumps = 0; jumps < 64;)
        {
            byte length = message[offset];
            if (length == 0) break;
            if ((length & 0xC0) == 0xC0)
            {
                offset = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]) & 0x3FFF;
                jumps++;
                continue;
            }
            if (name.Length > 0) name.Append('.');
            name.Append(Encoding.ASCII.GetString(message.Slice(offset + 1, length)));
            offset += 1 + length;
        }
        return name.ToString().ToLowerInvariant();
    }
}
