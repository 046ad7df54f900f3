using System.Buffers.Binary;
using System.Text;

namespace GslbDns.Health.Probes;

/// <summary>The query a dns probe sends and the checks its reply must pass (RFC 1035 §4.1).</summary>
internal static class DnsProbeMessage
{
    public const int MaxQueryLength = DnsWire.HeaderLength + DnsName.MaxWireLength + 4;
    private const ushort QrFlag = 0x8000;
    private const ushort TcFlag = 0x0200;

    /// <summary>
    /// Writes a standard query for one question, RD clear: the target is an authoritative server
    /// asked about its own data, not a resolver. Returns the length written.
    /// </summary>
    public static int WriteQuery(Span<byte> buffer, ushort id, ReadOnlySpan<byte> nameWire, RecordType type)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer, id);
        buffer[2..DnsWire.HeaderLength].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], 1); // QDCOUNT
        nameWire.CopyTo(buffer[DnsWire.HeaderLength..]);
        int pos = DnsWire.HeaderLength + nameWire.Length;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[pos..], (ushort)type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(pos + 2)..], DnsWire.ClassIN);
        return pos + 4;
    }

    /// <summary>
    /// Checks <paramref name="reply"/> against <paramref name="query"/>. Null when it is a reply to
    /// this query (same id, QR set, same question) or a truncated one (<paramref name="truncated"/>,
    /// to be asked again over TCP); otherwise a failure detail.
    /// </summary>
    public static string? Match(ReadOnlySpan<byte> reply, ReadOnlySpan<byte> query, out bool truncated)
    {
        truncated = false;
        if (reply.Length < DnsWire.HeaderLength) return "DNS reply too short";
        if (BinaryPrimitives.ReadUInt16BigEndian(reply) != BinaryPrimitives.ReadUInt16BigEndian(query)) return "DNS reply id mismatch";
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(reply[2..]);
        if ((flags & QrFlag) == 0) return "DNS reply without QR";
        truncated = (flags & TcFlag) != 0;
        // A truncated reply may stop anywhere; its question is checked on the TCP answer.
        if (truncated) return null;
        var question = query[DnsWire.HeaderLength..];
        if (BinaryPrimitives.ReadUInt16BigEndian(reply[4..]) != 1 || reply.Length < DnsWire.HeaderLength + question.Length) return "DNS reply question mismatch";
        var echoed = reply.Slice(DnsWire.HeaderLength, question.Length);
        // Names compare without regard to ASCII case (RFC 4343); type and class exactly.
        int nameLength = question.Length - 4;
        if (!Ascii.EqualsIgnoreCase(echoed[..nameLength], question[..nameLength]) || !echoed[nameLength..].SequenceEqual(question[nameLength..]))
        {
            return "DNS reply question mismatch";
        }
        return null;
    }

    /// <summary>The verdict on a matched reply: NOERROR with at least one answer is up.</summary>
    public static ProbeResult Judge(ReadOnlySpan<byte> reply, TimeSpan latency)
    {
        var rcode = (ResponseCode)(BinaryPrimitives.ReadUInt16BigEndian(reply[2..]) & 0x000F);
        if (rcode != ResponseCode.NoError) return ProbeResult.Fail("DNS " + RcodeText(rcode), latency);
        int answers = BinaryPrimitives.ReadUInt16BigEndian(reply[6..]);
        return answers switch
        {
            0 => ProbeResult.Fail("DNS NOERROR with no answer", latency),
            1 => ProbeResult.Ok("DNS NOERROR, 1 answer", latency),
            _ => ProbeResult.Ok($"DNS NOERROR, {answers} answers", latency),
        };
    }

    private static string RcodeText(ResponseCode rcode) =>
        Enum.IsDefined(rcode) ? rcode.ToString().ToUpperInvariant() : "RCODE " + ((int)rcode).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
