using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GslbDns.Tsig;

/// <summary>What checking a request's TSIG found (RFC 8945 §5.2), in the order the checks are made.</summary>
public enum TsigVerdict : byte
{
    Valid,
    /// <summary>The MAC is longer than the algorithm's, or shorter than RFC 8945 §5.2.2.1 allows: FORMERR.</summary>
    FormatError,
    /// <summary>Unknown key name or an algorithm other than the key's (§5.2.1): NOTAUTH, BADKEY, unsigned.</summary>
    BadKey,
    /// <summary>The MAC does not verify (§5.2.2): NOTAUTH, BADSIG, unsigned.</summary>
    BadSig,
    /// <summary>Time signed outside the fudge (§5.2.3): NOTAUTH, BADTIME, signed, our time in Other Data.</summary>
    BadTime,
}

/// <summary>
/// TSIG (RFC 8945) over whole messages in caller buffers: verifies a request and appends a signed
/// TSIG record to a reply. The MAC input is assembled in a pooled buffer, so a signed query costs
/// no garbage; transfers chain the MAC of each message into the next (§5.3.1).
/// </summary>
public static class TsigSigner
{
    /// <summary>RFC 8945 §10: 300 seconds is the recommended fudge.</summary>
    public const ushort Fudge = 300;

    /// <summary>TSIG error field's length plus BADTIME's Other Data: the 48-bit server time (§5.2.3).</summary>
    private const int TimeLength = 6;

    public static TsigVerdict Verify(ReadOnlySpan<byte> message, in TsigRecord tsig, TsigKeyring keys, long now, out TsigKey? key)
    {
        key = keys.Find(tsig.KeyNameWire);
        if (key is null || !key.Algorithm.Name.Wire.SequenceEqual(tsig.AlgorithmWire))
        {
            key = null;
            return TsigVerdict.BadKey;
        }
        return Check(message, tsig, key, [], now);
    }

    /// <summary>
    /// Checks the TSIG of a reply to a request we signed with <paramref name="key"/> (RFC 8945 §5.4):
    /// the same key and algorithm, and a MAC over the request's MAC, the reply and the variables
    /// (§4.3.3, as §5.3 has the answering side compute it), signed within the fudge.
    /// </summary>
    public static TsigVerdict VerifyReply(ReadOnlySpan<byte> reply, in TsigRecord tsig, TsigKey key, ReadOnlySpan<byte> requestMac, long now)
    {
        if (!key.Name.Wire.SequenceEqual(tsig.KeyNameWire) || !key.Algorithm.Name.Wire.SequenceEqual(tsig.AlgorithmWire))
        {
            return TsigVerdict.BadKey;
        }
        return Check(reply, tsig, key, requestMac, now);
    }

    /// <summary>MAC (over <paramref name="priorMac"/> when given) and then time, for a key already matched.</summary>
    private static TsigVerdict Check(ReadOnlySpan<byte> message, in TsigRecord tsig, TsigKey key, ReadOnlySpan<byte> priorMac, long now)
    {
        int full = key.Algorithm.MacLength;
        // §5.2.2.1: a truncated MAC is accepted down to half the full length and never below 10 octets.
        if (tsig.MacLength > full || tsig.MacLength < Math.Max(10, full / 2)) return TsigVerdict.FormatError;

        int variables = tsig.KeyNameLength + 2 + 4 + tsig.AlgorithmLength + 6 + 2 + 2 + 2 + tsig.OtherLength;
        int prior = priorMac.IsEmpty ? 0 : 2 + priorMac.Length;
        var data = ArrayPool<byte>.Shared.Rent(prior + tsig.Start + variables);
        try
        {
            var span = data.AsSpan();
            if (prior > 0)
            {
                // §4.3.1: a reply's MAC covers the request's MAC, its length first.
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)priorMac.Length);
                priorMac.CopyTo(span[2..]);
            }
            var unsigned = span[prior..];
            message[..tsig.Start].CopyTo(unsigned);
            // §4.3.2: the message as it was before the TSIG was added: Original ID, ARCOUNT one less.
            BinaryPrimitives.WriteUInt16BigEndian(unsigned, tsig.OriginalId);
            BinaryPrimitives.WriteUInt16BigEndian(unsigned[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(unsigned[10..]) - 1));
            int length = prior + tsig.Start;
            length += WriteVariables(span[length..], tsig.KeyNameWire, tsig.AlgorithmWire, tsig.TimeSigned, tsig.Fudge, tsig.Error,
                message.Slice(tsig.OtherOffset, tsig.OtherLength));
            Span<byte> mac = stackalloc byte[TsigAlgorithm.MaxMacLength];
            key.Algorithm.Compute(key.Secret, span[..length], mac);
            if (!CryptographicOperations.FixedTimeEquals(mac[..tsig.MacLength], message.Slice(tsig.MacOffset, tsig.MacLength)))
            {
                return TsigVerdict.BadSig;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
        return Math.Abs(now - tsig.TimeSigned) > tsig.Fudge ? TsigVerdict.BadTime : TsigVerdict.Valid;
    }

    /// <summary>Bytes a TSIG record signed with <paramref name="key"/> takes (with BADTIME's other data at most).</summary>
    public static int RecordLength(TsigKey key) => RecordLength(key.Name.Wire.Length, key.Algorithm.Name.Wire.Length, key.Algorithm.MacLength, TimeLength);

    public static int RecordLength(int keyNameLength, int algorithmLength, int macLength, int otherLength) =>
        keyNameLength + 10 + algorithmLength + 6 + 2 + 2 + macLength + 2 + 2 + 2 + otherLength;

    /// <summary>
    /// Appends a TSIG record signed with <paramref name="key"/> to the message of <paramref name="length"/>
    /// bytes in <paramref name="buffer"/> and counts it in ARCOUNT; returns the new length and writes the
    /// MAC into <paramref name="macOut"/> (the next message of a transfer chains it).
    /// </summary>
    /// <param name="priorMac">The request's MAC for a reply (§4.3.3), the previous message's for later messages of a transfer (§5.3.1); empty for a request.</param>
    /// <param name="timersOnly">Later messages of a transfer: only Time Signed and Fudge follow the message (§5.3.1).</param>
    public static int Sign(Span<byte> buffer, int length, TsigKey key, ReadOnlySpan<byte> priorMac, long timeSigned,
        TsigError error, ReadOnlySpan<byte> other, bool timersOnly, Span<byte> macOut)
    {
        var name = key.Name.Wire;
        var algorithm = key.Algorithm.Name.Wire;
        int macLength = key.Algorithm.MacLength;
        int variables = name.Length + 2 + 4 + algorithm.Length + 6 + 2 + 2 + 2 + other.Length;
        var data = ArrayPool<byte>.Shared.Rent(2 + priorMac.Length + length + variables);
        try
        {
            var span = data.AsSpan();
            int at = 0;
            if (!priorMac.IsEmpty)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)priorMac.Length);
                priorMac.CopyTo(span[2..]);
                at = 2 + priorMac.Length;
            }
            buffer[..length].CopyTo(span[at..]);
            at += length;
            if (timersOnly)
            {
                WriteTime(span[at..], timeSigned);
                BinaryPrimitives.WriteUInt16BigEndian(span[(at + 6)..], Fudge);
                at += 8;
            }
            else
            {
                at += WriteVariables(span[at..], name, algorithm, timeSigned, Fudge, error, other);
            }
            key.Algorithm.Compute(key.Secret, span[..at], macOut);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(buffer);
        return Append(buffer, length, name, algorithm, timeSigned, macOut[..macLength], id, error, other);
    }

    /// <summary>An unsigned TSIG record (MAC size 0) for BADKEY and BADSIG replies (RFC 8945 §5.3.2).</summary>
    public static int AppendUnsigned(Span<byte> buffer, int length, in TsigRecord request, long now, TsigError error)
    {
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(buffer);
        return Append(buffer, length, request.KeyNameWire, request.AlgorithmWire, now, [], id, error, []);
    }

    /// <summary>Other Data of a BADTIME reply: the server's time, 48 bits (§5.2.3).</summary>
    public static void WriteTime(Span<byte> into, long seconds)
    {
        BinaryPrimitives.WriteUInt16BigEndian(into, (ushort)(seconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(into[2..], (uint)seconds);
    }

    private static int Append(Span<byte> buffer, int length, ReadOnlySpan<byte> name, ReadOnlySpan<byte> algorithm, long timeSigned,
        ReadOnlySpan<byte> mac, ushort originalId, TsigError error, ReadOnlySpan<byte> other)
    {
        var span = buffer[length..];
        name.CopyTo(span);
        int at = name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], 250);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], DnsWire.ClassAny);
        BinaryPrimitives.WriteUInt32BigEndian(span[(at + 4)..], 0);
        int rdLengthAt = at + 8;
        at += 10;
        int rdataStart = at;
        algorithm.CopyTo(span[at..]);
        at += algorithm.Length;
        WriteTime(span[at..], timeSigned);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 6)..], Fudge);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 8)..], (ushort)mac.Length);
        at += 10;
        mac.CopyTo(span[at..]);
        at += mac.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], originalId);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 2)..], (ushort)error);
        BinaryPrimitives.WriteUInt16BigEndian(span[(at + 4)..], (ushort)other.Length);
        at += 6;
        other.CopyTo(span[at..]);
        at += other.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[rdLengthAt..], (ushort)(at - rdataStart));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(buffer[10..]) + 1));
        return length + at;
    }

    /// <summary>The TSIG variables of RFC 8945 §4.3.3, names in canonical (lower-case, uncompressed) form.</summary>
    private static int WriteVariables(Span<byte> into, ReadOnlySpan<byte> name, ReadOnlySpan<byte> algorithm, long timeSigned,
        ushort fudge, TsigError error, ReadOnlySpan<byte> other)
    {
        name.CopyTo(into);
        int at = name.Length;
        BinaryPrimitives.WriteUInt16BigEndian(into[at..], DnsWire.ClassAny);
        BinaryPrimitives.WriteUInt32BigEndian(into[(at + 2)..], 0);
        at += 6;
        algorithm.CopyTo(into[at..]);
        at += algorithm.Length;
        WriteTime(into[at..], timeSigned);
        BinaryPrimitives.WriteUInt16BigEndian(into[(at + 6)..], fudge);
        BinaryPrimitives.WriteUInt16BigEndian(into[(at + 8)..], (ushort)error);
        BinaryPrimitives.WriteUInt16BigEndian(into[(at + 10)..], (ushort)other.Length);
        at += 12;
        other.CopyTo(into[at..]);
        return at + other.Length;
    }
}
