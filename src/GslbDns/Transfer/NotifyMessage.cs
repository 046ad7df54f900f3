using System.Buffers.Binary;
using GslbDns.Tsig;
using GslbDns.Writing;
using GslbDns.Zones;

namespace GslbDns.Transfer;

/// <summary>One NOTIFY as sent: what its acknowledgement must match.</summary>
/// <param name="Question">The question as written: the zone's name, SOA, IN.</param>
/// <param name="Key">The key it was signed with; null when unsigned.</param>
/// <param name="Mac">Its MAC, which a signed acknowledgement's MAC covers (RFC 8945 §4.3.1); empty when unsigned.</param>
public sealed record SentNotify(byte[] Message, ushort Id, byte[] Question, TsigKey? Key, byte[] Mac);

/// <summary>The NOTIFY message of RFC 1996 §3 and the check of its reply.</summary>
public static class NotifyMessage
{
    public const byte Opcode = 4;
    private const ushort FlagAA = 0x0400;
    private const ushort TypeTsig = 250;

    /// <summary>
    /// NOTIFY for <paramref name="zone"/>: the zone's SOA as question (RFC 1996 §3.7), its current SOA in
    /// the answer as a hint, AA set (§3.1), signed with <paramref name="key"/> when given.
    /// </summary>
    public static SentNotify Build(CompiledZone zone, ushort id, TsigKey? key, long now)
    {
        var buffer = new byte[1024 + (key is null ? 0 : TsigSigner.RecordLength(key))];
        var writer = new MessageWriter(buffer, buffer.Length);
        writer.WriteHeader(id, (ushort)((Opcode << 11) | FlagAA));
        var question = new byte[zone.Origin.Wire.Length + 4];
        zone.Origin.Wire.CopyTo(question);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(zone.Origin.Wire.Length), (ushort)RecordType.SOA);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(zone.Origin.Wire.Length + 2), DnsWire.ClassIN);
        writer.WriteQuestion(question, zone.Origin.Wire.Length);
        var soa = zone.Soa.Records[0];
        writer.WriteRecord(Section.Answer, zone.Origin.Wire, RecordType.SOA, DnsWire.ClassIN, zone.Soa.Ttl, soa.Bytes, soa.Names);
        int length = writer.Finish();
        byte[] mac = [];
        if (key is not null)
        {
            mac = new byte[key.Algorithm.MacLength];
            length = TsigSigner.Sign(buffer, length, key, [], now, TsigError.NoError, [], false, mac);
        }
        return new SentNotify(buffer[..length], id, question, key, mac);
    }

    /// <summary>
    /// RFC 1996 §4.7: the secondary acknowledges with a NOERROR reply (QR, AA) of the same ID, opcode
    /// and question. When our NOTIFY was signed, the reply must be signed too, with the same key, over
    /// our MAC, within the fudge (RFC 8945 §5.4): an unsigned or wrongly signed reply could come from
    /// anyone, so it acknowledges nothing. An unsigned NOTIFY takes an unsigned reply.
    /// </summary>
    public static bool IsAcknowledgement(ReadOnlySpan<byte> reply, SentNotify sent, long now, out string problem)
    {
        problem = "";
        if (reply.Length < DnsWire.HeaderLength || (reply[2] & 0x80) == 0)
        {
            problem = "not a DNS reply";
            return false;
        }
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(reply);
        if (id != sent.Id)
        {
            problem = $"a reply with ID {id}, not our {sent.Id}";
            return false;
        }
        int opcode = (reply[2] >> 3) & 0x0f;
        int rcode = reply[3] & 0x0f;
        if (opcode != Opcode || rcode != 0 || (reply[2] & 0x04) == 0)
        {
            problem = $"reply with opcode {opcode}, rcode {rcode}, AA {((reply[2] & 0x04) != 0 ? 1 : 0)}";
            return false;
        }
        if (!QuestionMatches(reply, sent.Question))
        {
            problem = "a reply whose question is not our zone's SOA";
            return false;
        }
        if (sent.Key is null) return true;
        return IsSigned(reply, sent, now, out problem);
    }

    private static bool IsSigned(ReadOnlySpan<byte> reply, SentNotify sent, long now, out string problem)
    {
        if (FindLastAdditional(reply) is not int start || BinaryPrimitives.ReadUInt16BigEndian(reply[SkipName(reply, start)..]) != TypeTsig)
        {
            problem = $"an unsigned reply to a NOTIFY signed with {sent.Key!.Name}";
            return false;
        }
        if (!TsigRecord.TryRead(reply, start, out var tsig))
        {
            problem = "a reply with a malformed TSIG record";
            return false;
        }
        if (tsig.Error != TsigError.NoError)
        {
            // §5.3.2: BADKEY and BADSIG come back unsigned; the secondary does not share our key.
            problem = $"the secondary answers TSIG error {tsig.Error} (does it have key {sent.Key!.Name} with the same secret?)";
            return false;
        }
        var verdict = TsigSigner.VerifyReply(reply, tsig, sent.Key!, sent.Mac, now);
        problem = verdict switch
        {
            TsigVerdict.Valid => "",
            TsigVerdict.BadKey => $"a reply signed with another key than {sent.Key!.Name}",
            TsigVerdict.BadTime => "a signed reply whose time is outside the fudge (are the clocks in step?)",
            _ => $"a reply whose TSIG MAC does not verify with key {sent.Key!.Name}",
        };
        return verdict == TsigVerdict.Valid;
    }

    /// <summary>One question: the same name (letters in any case, RFC 4343 §3), type and class.</summary>
    private static bool QuestionMatches(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> question)
    {
        if (BinaryPrimitives.ReadUInt16BigEndian(reply[4..]) != 1) return false;
        var got = reply[DnsWire.HeaderLength..];
        if (got.Length < question.Length) return false;
        int pos = 0;
        while (true)
        {
            // Our question is uncompressed and the first name of a reply cannot point back: label by label.
            byte length = question[pos];
            if (got[pos] != length) return false;
            if (length == 0) break;
            for (int i = pos + 1; i <= pos + length; i++)
            {
                if (Lower(got[i]) != Lower(question[i])) return false;
            }
            pos += length + 1;
        }
        return got.Slice(pos + 1, 4).SequenceEqual(question.Slice(pos + 1, 4));
    }

    private static byte Lower(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    /// <summary>Where the last record of the message starts; null when it has none or is malformed.</summary>
    private static int? FindLastAdditional(ReadOnlySpan<byte> message)
    {
        int additional = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (additional == 0) return null;
        int records = BinaryPrimitives.ReadUInt16BigEndian(message[6..]) + BinaryPrimitives.ReadUInt16BigEndian(message[8..]) + additional;
        int pos = DnsWire.HeaderLength;
        for (int i = BinaryPrimitives.ReadUInt16BigEndian(message[4..]); i > 0; i--)
        {
            pos = SkipName(message, pos) + 4;
            if (pos > message.Length) return null;
        }
        int start = -1;
        for (int i = 0; i < records; i++)
        {
            start = pos;
            pos = SkipName(message, pos);
            if (pos + 10 > message.Length) return null;
            pos += 10 + BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            if (pos > message.Length) return null;
        }
        // The TSIG must end the message (RFC 8945 §5.4 via §4.2: it is the last record).
        return pos == message.Length ? start : null;
    }

    /// <summary>The position after the name at <paramref name="pos"/>; past the end when malformed.</summary>
    private static int SkipName(ReadOnlySpan<byte> message, int pos)
    {
        while (pos < message.Length)
        {
            byte len = message[pos];
            if (len == 0) return pos + 1;
            if ((len & 0xc0) == 0xc0) return pos + 2;
            if ((len & 0xc0) != 0) return message.Length + 1;
            pos += len + 1;
        }
        return message.Length + 1;
    }
}
