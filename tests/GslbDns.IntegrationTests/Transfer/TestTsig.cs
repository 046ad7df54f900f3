using System.Buffers.Binary;
using System.Security.Cryptography;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>
/// A client's TSIG (RFC 8945) written out plainly for the tests, apart from the server's: signs a
/// request with HMAC-SHA256 and reads and checks the TSIG of a reply.
/// </summary>
public static class TestTsig
{
    public static readonly byte[] Algorithm = QueryBuilder.EncodeName("hmac-sha256");

    /// <summary>The request with a TSIG record appended; <paramref name="mac"/> is its MAC (the reply is signed over it).</summary>
    public static byte[] Sign(byte[] message, string keyName, byte[] secret, long timeSigned, out byte[] mac)
    {
        var name = QueryBuilder.EncodeName(keyName.ToLowerInvariant());
        var data = new List<byte>(message);
        data.AddRange(Variables(name, timeSigned, error: 0, other: []));
        mac = HMACSHA256.HashData(secret, data.ToArray());
        var signed = new List<byte>(message);
        signed.AddRange(Record(name, timeSigned, mac, BinaryPrimitives.ReadUInt16BigEndian(message), 0, []));
        var bytes = signed.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10)) + 1));
        return bytes;
    }

    /// <summary>A reply with a TSIG record appended, its MAC over <paramref name="priorMac"/> (the request's) first (RFC 8945 §4.3.1).</summary>
    public static byte[] SignReply(byte[] message, string keyName, byte[] secret, long timeSigned, byte[] priorMac)
    {
        var name = QueryBuilder.EncodeName(keyName.ToLowerInvariant());
        var data = new List<byte> { (byte)(priorMac.Length >> 8), (byte)priorMac.Length };
        data.AddRange(priorMac);
        data.AddRange(message);
        data.AddRange(Variables(name, timeSigned, error: 0, other: []));
        var mac = HMACSHA256.HashData(secret, data.ToArray());
        var signed = new List<byte>(message);
        signed.AddRange(Record(name, timeSigned, mac, BinaryPrimitives.ReadUInt16BigEndian(message), 0, []));
        var bytes = signed.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10)) + 1));
        return bytes;
    }

    /// <summary>The fields of the TSIG record that ends a reply.</summary>
    public sealed record ReplyTsig(int Start, long TimeSigned, byte[] Mac, ushort Error, byte[] Other);

    /// <summary>Reads the last record of the message as a TSIG (the test builds nothing else there); null when ARCOUNT is 0 or it is not a TSIG.</summary>
    public static ReplyTsig? Read(byte[] message)
    {
        if (BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(10)) == 0) return null;
        // Walk every record to find where the last one starts.
        int pos = 12;
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4));
        int total = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6)) + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(8)) + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(10));
        for (int i = 0; i < qd; i++) pos = SkipName(message, pos) + 4;
        int start = pos;
        for (int i = 0; i < total; i++)
        {
            start = pos;
            pos = SkipName(message, pos);
            pos += 10 + BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(pos + 8));
        }
        int at = SkipName(message, start);
        if (BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at)) != 250) return null;
        at = SkipName(message, at + 10);
        long time = ((long)BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(at + 2));
        int macLength = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at + 8));
        var mac = message.AsSpan(at + 10, macLength).ToArray();
        at += 10 + macLength;
        ushort error = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at + 2));
        int otherLength = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(at + 4));
        return new ReplyTsig(start, time, mac, error, message.AsSpan(at + 6, otherLength).ToArray());
    }

    /// <summary>Checks a reply's MAC: over the prior MAC, the reply without its TSIG, and the variables (or only the timers).</summary>
    /// <param name="priorMac">The request's MAC for a reply; null for a request (a NOTIFY), which has none.</param>
    public static bool Verifies(byte[] reply, string keyName, byte[] secret, byte[]? priorMac, bool timersOnly = false)
    {
        var tsig = Read(reply) ?? throw new InvalidOperationException("the reply has no TSIG");
        var data = new List<byte>();
        if (priorMac is not null)
        {
            data.Add((byte)(priorMac.Length >> 8));
            data.Add((byte)priorMac.Length);
            data.AddRange(priorMac);
        }
        var unsigned = reply[..tsig.Start];
        BinaryPrimitives.WriteUInt16BigEndian(unsigned.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(unsigned.AsSpan(10)) - 1));
        data.AddRange(unsigned);
        if (timersOnly)
        {
            data.AddRange(Time(tsig.TimeSigned));
            data.Add(300 >> 8);
            data.Add(300 & 0xff);
        }
        else
        {
            data.AddRange(Variables(QueryBuilder.EncodeName(keyName.ToLowerInvariant()), tsig.TimeSigned, tsig.Error, tsig.Other));
        }
        return HMACSHA256.HashData(secret, data.ToArray()).AsSpan().SequenceEqual(tsig.Mac);
    }

    private static byte[] Variables(byte[] name, long time, ushort error, byte[] other)
    {
        var data = new List<byte>(name) { 0, 255, 0, 0, 0, 0 };
        data.AddRange(Algorithm);
        data.AddRange(Time(time));
        data.AddRange([300 >> 8, 300 & 0xff, (byte)(error >> 8), (byte)error, (byte)(other.Length >> 8), (byte)other.Length]);
        data.AddRange(other);
        return [.. data];
    }

    private static byte[] Record(byte[] name, long time, byte[] mac, ushort id, ushort error, byte[] other)
    {
        var rdata = new List<byte>(Algorithm);
        rdata.AddRange(Time(time));
        rdata.AddRange([300 >> 8, 300 & 0xff, (byte)(mac.Length >> 8), (byte)mac.Length]);
        rdata.AddRange(mac);
        rdata.AddRange([(byte)(id >> 8), (byte)id, (byte)(error >> 8), (byte)error, (byte)(other.Length >> 8), (byte)other.Length]);
        rdata.AddRange(other);
        var record = new List<byte>(name) { 0, 250, 0, 255, 0, 0, 0, 0, (byte)(rdata.Count >> 8), (byte)rdata.Count };
        record.AddRange(rdata);
        return [.. record];
    }

    private static byte[] Time(long seconds) =>
        [(byte)(seconds >> 40), (byte)(seconds >> 32), (byte)(seconds >> 24), (byte)(seconds >> 16), (byte)(seconds >> 8), (byte)seconds];

    private static int SkipName(byte[] message, int pos)
    {
        while (true)
        {
            byte len = message[pos];
            if (len == 0) return pos + 1;
            if ((len & 0xc0) == 0xc0) return pos + 2;
            pos += len + 1;
        }
    }
}
