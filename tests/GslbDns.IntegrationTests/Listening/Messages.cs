using System.Buffers.Binary;

namespace GslbDns.IntegrationTests.Listening;

/// <summary>Opaque test messages: a 12-byte header with an id, then filler bytes.</summary>
internal static class Messages
{
    public static byte[] Query(ushort id, int length = 29, byte marker = 0x00)
    {
        var message = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        message[5] = 1; // QDCOUNT, so it looks like a query
        for (var i = 12; i < length; i++)
        {
            message[i] = (byte)(i * 7);
        }
        if (length > 12)
        {
            message[12] = marker;
        }
        return message;
    }

    public static byte[] Framed(params byte[][] messages)
    {
        var framed = new List<byte>();
        foreach (var message in messages)
        {
            framed.Add((byte)(message.Length >> 8));
            framed.Add((byte)message.Length);
            framed.AddRange(message);
        }
        return [.. framed];
    }

    public static byte[] ExpectedReply(byte[] query)
    {
        var reply = (byte[])query.Clone();
        reply[2] |= 0x80;
        return reply;
    }

    public static ushort Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16BigEndian(message);
}
