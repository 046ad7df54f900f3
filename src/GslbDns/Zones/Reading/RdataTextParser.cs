using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Turns the presentation form of RDATA into uncompressed wire form. Names inside RDATA keep the case
/// written; relative names and "@" use the current origin (RFC 1035 §5.1).
/// </summary>
internal static class RdataTextParser
{
    /// <summary>Longest RDATA a record can carry: RDLENGTH is 16 bits (RFC 1035 §3.2.1).</summary>
    public const int MaxRdataLength = ushort.MaxValue;

    /// <summary>
    /// The RDATA of one record, in <paramref name="builder"/>'s scratch space that the file's records
    /// share: valid until the next record is parsed.
    /// </summary>
    public static ReadOnlySpan<byte> Parse(RecordType type, RdataFields fields, RdataBuilder builder)
    {
        builder.Clear();
        switch (type)
        {
            case RecordType.A:
                Address(fields, builder, 4);
                break;
            case RecordType.AAAA:
                Address(fields, builder, 16);
                break;
            case RecordType.NS or RecordType.CNAME or RecordType.PTR or RecordType.DNAME:
                fields.Name(builder, "target name");
                break;
            case RecordType.MX:
                builder.UInt16(fields.NextUInt16("preference"));
                fields.Name(builder, "exchange name");
                break;
            case RecordType.SOA:
                fields.Name(builder, "primary server name");
                fields.Name(builder, "responsible mailbox name");
                builder.UInt32(fields.NextUInt32("serial"));
                builder.UInt32(fields.NextPeriod("refresh"));
                builder.UInt32(fields.NextPeriod("retry"));
                builder.UInt32(fields.NextPeriod("expire"));
                builder.UInt32(fields.NextPeriod("minimum"));
                break;
            case RecordType.TXT:
                fields.CharacterString(builder, "text string");
                while (fields.HasMore) fields.CharacterString(builder, "text string");
                break;
            case RecordType.HINFO:
                fields.CharacterString(builder, "CPU");
                fields.CharacterString(builder, "OS");
                break;
            case RecordType.SRV:
                builder.UInt16(fields.NextUInt16("priority"));
                builder.UInt16(fields.NextUInt16("weight"));
                builder.UInt16(fields.NextUInt16("port"));
                fields.Name(builder, "target name");
                break;
            case RecordType.CAA:
                Caa(fields, builder);
                break;
            case RecordType.NAPTR:
                builder.UInt16(fields.NextUInt16("order"));
                builder.UInt16(fields.NextUInt16("preference"));
                fields.CharacterString(builder, "flags");
                fields.CharacterString(builder, "services");
                fields.CharacterString(builder, "regexp");
                fields.Name(builder, "replacement name");
                break;
            case RecordType.DS:
                Ds(fields, builder);
                break;
            case RecordType.SSHFP:
                builder.UInt8(fields.NextUInt8("algorithm"));
                builder.UInt8(fields.NextUInt8("fingerprint type"));
                builder.Octets(Hex(fields, "fingerprint"));
                break;
            case RecordType.TLSA:
                builder.UInt8(fields.NextUInt8("certificate usage"));
                builder.UInt8(fields.NextUInt8("selector"));
                builder.UInt8(fields.NextUInt8("matching type"));
                builder.Octets(Hex(fields, "certificate association data"));
                break;
            case RecordType.DNSKEY:
                builder.UInt16(fields.NextUInt16("flags"));
                builder.UInt8(fields.NextUInt8("protocol"));
                builder.UInt8(fields.NextUInt8("algorithm"));
                builder.Octets(Base64(fields, "public key"));
                break;
            default:
                throw fields.Error($"no text form is supported for this type; write the RDATA in the generic form '\\# <length> <hex>' (RFC 3597 §5)");
        }
        fields.End();
        if (builder.Length > MaxRdataLength)
        {
            throw fields.Error($"RDATA of {builder.Length} octets is longer than {MaxRdataLength}");
        }
        return builder.Written;
    }

    private static void Address(RdataFields fields, RdataBuilder builder, int length)
    {
        var token = fields.Next(length == 4 ? "IPv4 address" : "IPv6 address");
        Span<byte> octets = stackalloc byte[16];
        bool ok = !token.IsQuoted && (length == 4
            ? AddressText.TryParseIPv4(token.Span, octets)
            : AddressText.TryParseIPv6(token.Span, octets));
        if (!ok)
        {
            string family = length == 4 ? "IPv4" : "IPv6";
            throw new ZoneSyntaxException(token.Line, $"{fields.TypeText} '{token.Text}' is not an {family} address");
        }
        builder.Octets(octets[..length]);
    }

    /// <summary>RFC 8659 §4.1: flags, a tag of ASCII letters and digits, and the value octets.</summary>
    private static void Caa(RdataFields fields, RdataBuilder builder)
    {
        builder.UInt8(fields.NextUInt8("flags"));
        var tagToken = fields.Next("tag");
        string tag = tagToken.Text;
        if (tag.Length is 0 or > 255 || !tag.All(char.IsAsciiLetterOrDigit))
        {
            throw new ZoneSyntaxException(tagToken.Line, $"{fields.TypeText}: bad tag '{tag}': expected 1 to 255 ASCII letters and digits (RFC 8659 §4.1)");
        }
        builder.UInt8((byte)tag.Length);
        foreach (char c in tag) builder.UInt8((byte)c);
        fields.Octets(builder, "value");
    }

    private static void Ds(RdataFields fields, RdataBuilder builder)
    {
        builder.UInt16(fields.NextUInt16("key tag"));
        builder.UInt8(fields.NextUInt8("algorithm"));
        byte digestType = fields.NextUInt8("digest type");
        builder.UInt8(digestType);
        int line = fields.Line;
        var digest = Hex(fields, "digest");
        // Digest lengths fixed by RFC 4034 §5.1.4 (SHA-1), RFC 4509 (SHA-256), RFC 5933 (GOST), RFC 6605 (SHA-384).
        int expected = digestType switch { 1 => 20, 2 => 32, 3 => 32, 4 => 48, _ => -1 };
        if (expected > 0 && digest.Length != expected)
        {
            throw new ZoneSyntaxException(line, $"{fields.TypeText}: digest of {digest.Length} octets does not fit digest type {digestType} ({expected} octets)");
        }
        builder.Octets(digest);
    }

    private static byte[] Hex(RdataFields fields, string what)
    {
        int line = fields.Line;
        string text = fields.RestJoined(what);
        if (!HexText.TryDecode(text, out var octets, out string error))
        {
            throw new ZoneSyntaxException(line, $"{fields.TypeText}: bad {what}: {error}");
        }
        return octets;
    }

    private static byte[] Base64(RdataFields fields, string what)
    {
        int line = fields.Line;
        string text = fields.RestJoined(what);
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new ZoneSyntaxException(line, $"{fields.TypeText}: bad {what}: not valid base64");
        }
    }
}
