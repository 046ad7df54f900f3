using System.Buffers.Binary;
using GslbDns.Parsing;

namespace GslbDns.Tsig;

/// <summary>TSIG error codes (RFC 8945 §3, the TSIG record's Error field).</summary>
public enum TsigError : ushort
{
    NoError = 0,
    BadSig = 16,
    BadKey = 17,
    BadTime = 18,
    BadTrunc = 22,
}

/// <summary>
/// The fields of a request's TSIG record (RFC 8945 §4.2), read from the message without allocating:
/// the names lower-cased into inline buffers, the MAC and other data as offsets into the message.
/// </summary>
public struct TsigRecord
{
    /// <summary>Where the TSIG record starts in the message (the end of what the MAC covers).</summary>
    public int Start;
    public NameBuffer KeyName;
    public int KeyNameLength;
    public NameBuffer Algorithm;
    public int AlgorithmLength;
    public long TimeSigned;
    public ushort Fudge;
    public int MacOffset;
    public int MacLength;
    public ushort OriginalId;
    public TsigError Error;
    public int OtherOffset;
    public int OtherLength;

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ReadOnlySpan<byte> KeyNameWire => ((ReadOnlySpan<byte>)KeyName)[..KeyNameLength];

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ReadOnlySpan<byte> AlgorithmWire => ((ReadOnlySpan<byte>)Algorithm)[..AlgorithmLength];

    /// <summary>Reads the TSIG record at <paramref name="start"/>; false when it is malformed (FORMERR).</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, int start, out TsigRecord record)
    {
        record = default;
        record.Start = start;
        int pos = start;
        if (!TryReadName(message, ref pos, record.KeyName, out record.KeyNameLength)) return false;
        if (pos + 10 > message.Length) return false;
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
        int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
        // RFC 8945 §4.2: CLASS ANY, TTL 0.
        if (@class != DnsWire.ClassAny) return false;
        pos += 10;
        int end = pos + rdLength;
        if (end > message.Length) return false;
        var rdata = message[..end];
        if (!TryReadName(rdata, ref pos, record.Algorithm, out record.AlgorithmLength)) return false;
        if (pos + 10 > end) return false;
        record.TimeSigned = (long)(((ulong)BinaryPrimitives.ReadUInt16BigEndian(rdata[pos..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(rdata[(pos + 2)..]));
        record.Fudge = BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 6)..]);
        record.MacLength = BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 8)..]);
        pos += 10;
        record.MacOffset = pos;
        pos += record.MacLength;
        if (pos + 6 > end) return false;
        record.OriginalId = BinaryPrimitives.ReadUInt16BigEndian(rdata[pos..]);
        record.Error = (TsigError)BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 2)..]);
        record.OtherLength = BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 4)..]);
        record.OtherOffset = pos + 6;
        return record.OtherOffset + record.OtherLength == end;
    }

    /// <summary>A name, following compression pointers, lower-cased into <paramref name="into"/>.</summary>
    private static bool TryReadName(ReadOnlySpan<byte> message, ref int pos, Span<byte> into, out int length)
    {
        length = 0;
        int at = pos;
        bool jumped = false;
        int hops = 0;
        while (true)
        {
            if (at >= message.Length) return false;
            byte len = message[at];
            if ((len & 0xc0) == 0xc0)
            {
                if (at + 1 >= message.Length || ++hops > 64) return false;
                if (!jumped) pos = at + 2;
                jumped = true;
                at = ((len & 0x3f) << 8) | message[at + 1];
                continue;
            }
            if ((len & 0xc0) != 0 || at + 1 + len > message.Length || length + 1 + len + 1 > DnsName.MaxWireLength) return false;
            into[length++] = len;
            if (len == 0)
            {
                if (!jumped) pos = at + 1;
                return true;
            }
            for (int i = 1; i <= len; i++)
            {
                byte b = message[at + i];
                into[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
            }
            at += 1 + len;
        }
    }
}
