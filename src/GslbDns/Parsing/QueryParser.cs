using System.Buffers.Binary;
using GslbDns.Protocol;

namespace GslbDns.Parsing;

/// <summary>
/// Reads a DNS query from wire bytes without allocating. Anything malformed becomes a
/// <see cref="ParseOutcome"/>, never an exception: the listener must survive any datagram.
/// </summary>
public static class QueryParser
{
    private const ushort OptionClientSubnet = 8;
    private const ushort OptionCookie = 10;
    private const ushort OptionNsid = 3;

    public static ParseOutcome Parse(ReadOnlySpan<byte> message, ref DnsQuery query)
    {
        if (message.Length < DnsWire.HeaderLength)
        {
            return ParseOutcome.Drop;
        }
        query.Id = BinaryPrimitives.ReadUInt16BigEndian(message);
        byte flags1 = message[2];
        if ((flags1 & 0x80) != 0)
        {
            // Never answer a response: that is how reflection loops start.
            return ParseOutcome.Drop;
        }
        query.Opcode = (byte)((flags1 >> 3) & 0x0f);
        query.RecursionDesired = (flags1 & 0x01) != 0;
        query.CheckingDisabled = (message[3] & 0x10) != 0;
        int qdCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int anCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int nsCount = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int arCount = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);

        if (query.Opcode != 0)
        {
            TryReadQuestion(message, qdCount, ref query, out _);
            return ParseOutcome.NotImplemented;
        }
        if (qdCount != 1)
        {
            return ParseOutcome.FormatError;
        }
        if (!TryReadQuestion(message, qdCount, ref query, out int pos))
        {
            return ParseOutcome.FormatError;
        }

        // A query carries no answers, and no authority records but the SOA of an IXFR request
        // (RFC 1995 §3); a query with others is malformed, and so is any OPT outside the additional
        // section (RFC 6891 §6.1.1).
        if (anCount > 0 || (nsCount > 0 && query.QType != RecordType.IXFR))
        {
            return ParseOutcome.FormatError;
        }
        for (int i = 0; i < anCount + nsCount; i++)
        {
            if (!TrySkipRecord(message, ref pos, out _, out _))
            {
                return ParseOutcome.FormatError;
            }
        }
        bool sawOpt = false;
        for (int i = 0; i < arCount; i++)
        {
            int start = pos;
            if (!TrySkipRecord(message, ref pos, out var type, out int rdataStart))
            {
                return ParseOutcome.FormatError;
            }
            if (type == RecordType.TSIG)
            {
                // RFC 8945 §5.1: a TSIG anywhere but last in the additional section is FORMERR.
                if (i != arCount - 1) return ParseOutcome.FormatError;
                query.TsigStart = start;
                continue;
            }
            if (type != RecordType.OPT)
            {
                continue;
            }
            // RFC 6891 §6.1.1: one OPT, owned by the root.
            if (sawOpt || message[start] != 0)
            {
                return ParseOutcome.FormatError;
            }
            sawOpt = true;
            var outcome = ReadOpt(message, start, rdataStart, pos, ref query);
            if (outcome != ParseOutcome.Query)
            {
                return outcome;
            }
        }
        // Bytes after the last record are ignored, as knot and BIND do: the sections we read were whole.
        return ParseOutcome.Query;
    }

    private static bool TryReadQuestion(ReadOnlySpan<byte> message, int qdCount, ref DnsQuery query, out int pos)
    {
        pos = DnsWire.HeaderLength;
        query.QuestionEnd = 0;
        if (qdCount != 1)
        {
            return false;
        }
        // The only question is the first name in the message, so any compression pointer in it
        // could only point backwards into itself or the header: always a loop or garbage.
        int length = 0;
        Span<byte> lower = query.QNameLower;
        while (true)
        {
            if (pos >= message.Length) return false;
            byte len = message[pos];
            if (len == 0)
            {
                lower[length++] = 0;
                pos++;
                break;
            }
            if (len > DnsName.MaxLabelLength) return false;
            if (pos + 1 + len > message.Length) return false;
            if (length + 1 + len + 1 > DnsName.MaxWireLength) return false;
            lower[length++] = len;
            for (int i = 1; i <= len; i++)
            {
                byte b = message[pos + i];
                lower[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
            }
            pos += 1 + len;
        }
        if (pos + 4 > message.Length) return false;
        query.QNameLength = length;
        query.QType = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
        query.QClass = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
        pos += 4;
        query.QuestionEnd = pos;
        return true;
    }

    /// <summary>Skips one resource record, following no pointers but checking that names end.</summary>
    private static bool TrySkipRecord(ReadOnlySpan<byte> message, ref int pos, out RecordType type, out int rdataStart)
    {
        type = default;
        rdataStart = 0;
        if (!TrySkipName(message, ref pos)) return false;
        if (pos + 10 > message.Length) return false;
        type = (RecordType)BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
        int rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
        rdataStart = pos + 10;
        pos = rdataStart + rdLength;
        return pos <= message.Length;
    }

    private static bool TrySkipName(ReadOnlySpan<byte> message, ref int pos)
    {
        int total = 0;
        while (true)
        {
            if (pos >= message.Length) return false;
            byte len = message[pos];
            if (len == 0)
            {
                pos++;
                return true;
            }
            if ((len & 0xc0) == 0xc0)
            {
                if (pos + 2 > message.Length) return false;
                int target = ((len & 0x3f) << 8) | message[pos + 1];
                // A pointer must point backwards (RFC 1035 §4.1.4 "prior occurrence").
                if (target >= pos) return false;
                pos += 2;
                return true;
            }
            if ((len & 0xc0) != 0) return false;
            total += len + 1;
            if (total > DnsName.MaxWireLength) return false;
            pos += 1 + len;
        }
    }

    private static ParseOutcome ReadOpt(ReadOnlySpan<byte> message, int start, int rdataStart, int end, ref DnsQuery query)
    {
        // Header of OPT after the root name: TYPE(2) CLASS=payload(2) TTL=ext-rcode,version,flags(4) RDLEN(2)
        int fixedStart = start + 1;
        query.HasEdns = true;
        ushort payload = BinaryPrimitives.ReadUInt16BigEndian(message[(fixedStart + 2)..]);
        // RFC 6891 §6.2.5: values below 512 are treated as 512.
        query.UdpPayloadSize = payload < 512 ? (ushort)512 : payload;
        query.EdnsVersion = message[fixedStart + 5];
        query.DnssecOk = (message[fixedStart + 6] & 0x80) != 0;
        if (query.EdnsVersion != 0)
        {
            return ParseOutcome.BadVersion;
        }

        int pos = rdataStart;
        while (pos < end)
        {
            if (pos + 4 > end) return ParseOutcome.FormatError;
            ushort code = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
            pos += 4;
            if (pos + length > end) return ParseOutcome.FormatError;
            if (code == OptionClientSubnet)
            {
                if (query.ClientSubnet.Present || !TryReadClientSubnet(message.Slice(pos, length), ref query.ClientSubnet))
                {
                    return ParseOutcome.FormatError;
                }
            }
            else if (code == OptionNsid)
            {
                // RFC 5001 §2.3: a query's NSID option is empty; its content, if any, is ignored.
                query.WantsNsid = true;
            }
            else if (code == OptionCookie && query.CookieLength == 0)
            {
                // RFC 7873 §5.2.2: a client cookie alone is 8 octets, with a server cookie 16 to 40;
                // anything else is FORMERR. Only the first COOKIE option counts.
                if (length != 8 && length is < 16 or > 40) return ParseOutcome.FormatError;
                query.CookieOffset = pos;
                query.CookieLength = length;
            }
            // Unknown options are ignored (RFC 6891 §6.1.2).
            pos += length;
        }
        return ParseOutcome.Query;
    }

    /// <summary>RFC 7871 §6: wrong address length or bits set past the source prefix are FORMERR.</summary>
    private static bool TryReadClientSubnet(ReadOnlySpan<byte> option, ref ClientSubnetOption subnet)
    {
        if (option.Length < 4) return false;
        ushort family = BinaryPrimitives.ReadUInt16BigEndian(option);
        byte source = option[2];
        byte scope = option[3];
        var address = option[4..];
        int maxBits = family switch { 1 => 32, 2 => 128, _ => -1 };
        if (maxBits < 0 || source > maxBits) return false;
        // RFC 7871 §6: the scope in a query MUST be 0.
        if (scope != 0) return false;
        if (address.Length != (source + 7) / 8) return false;

        Span<byte> full = stackalloc byte[16];
        full.Clear();
        address.CopyTo(full);
        if (source % 8 != 0 && address.Length > 0)
        {
            byte lastMask = (byte)(0xff >> (source % 8));
            if ((address[^1] & lastMask) != 0) return false;
        }
        UInt128 bits;
        if (family == 1)
        {
            bits = ((UInt128)0xffff << 32) | BinaryPrimitives.ReadUInt32BigEndian(full);
        }
        else
        {
            bits = BinaryPrimitives.ReadUInt128BigEndian(full);
        }
        subnet.Present = true;
        subnet.Family = family;
        subnet.SourcePrefix = source;
        subnet.ScopePrefix = scope;
        subnet.Address = bits;
        return true;
    }
}
