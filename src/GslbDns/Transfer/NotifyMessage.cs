using System.Buffers.Binary;
using GslbDns.Tsig;
using GslbDns.Writing;
using GslbDns.Zones;

namespace GslbDns.Transfer;

/// <summary>The NOTIFY message of RFC 1996 §3 and the check of its reply.</summary>
public static class NotifyMessage
{
    public const byte Opcode = 4;
    private const ushort FlagAA = 0x0400;

    /// <summary>
    /// NOTIFY for <paramref name="zone"/>: the zone's SOA as question (RFC 1996 §3.7), its current SOA in
    /// the answer as a hint, AA set (§3.1), signed with <paramref name="key"/> when given.
    /// </summary>
    public static byte[] Build(CompiledZone zone, ushort id, TsigKey? key, long now)
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
        if (key is not null)
        {
            Span<byte> mac = stackalloc byte[TsigAlgorithm.MaxMacLength];
            length = TsigSigner.Sign(buffer, length, key, [], now, TsigError.NoError, [], false, mac);
        }
        return buffer[..length];
    }

    /// <summary>RFC 1996 §4.7: the secondary acknowledges with a NOERROR reply of the same ID and opcode (and AA).</summary>
    public static bool IsAcknowledgement(ReadOnlySpan<byte> reply, ushort id, out string problem)
    {
        problem = "";
        if (reply.Length < DnsWire.HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(reply) != id || (reply[2] & 0x80) == 0)
        {
            problem = "a reply that does not answer our NOTIFY";
            return false;
        }
        int opcode = (reply[2] >> 3) & 0x0f;
        int rcode = reply[3] & 0x0f;
        if (opcode != Opcode || rcode != 0 || (reply[2] & 0x04) == 0)
        {
            problem = $"reply with opcode {opcode}, rcode {rcode}, AA {((reply[2] & 0x04) != 0 ? 1 : 0)}";
            return false;
        }
        return true;
    }
}
