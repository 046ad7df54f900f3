namespace GslbDns.Protocol;

/// <summary>DNS RR TYPE values (IANA registry). Any ushort is a valid type (RFC 3597); these are the named ones.</summary>
public enum RecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    HINFO = 13,
    MX = 15,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    NAPTR = 35,
    DNAME = 39,
    OPT = 41,
    DS = 43,
    SSHFP = 44,
    RRSIG = 46,
    NSEC = 47,
    DNSKEY = 48,
    TLSA = 52,
    SVCB = 64,
    HTTPS = 65,
    TSIG = 250,
    IXFR = 251,
    AXFR = 252,
    MAILB = 253,
    MAILA = 254,
    ANY = 255,
    CAA = 257,
}

public static class RecordTypeNames
{
    /// <summary>Mnemonic for a type, or the RFC 3597 generic form TYPEnnn.</summary>
    public static string ToText(RecordType type) =>
        Enum.IsDefined(type) ? type.ToString() : "TYPE" + ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Built once: a zone file asks for a type on every record.
    private static readonly (string Name, RecordType Type)[] Mnemonics =
        [.. Enum.GetValues<RecordType>().Select(type => (type.ToString(), type))];

    /// <summary>Parses a mnemonic (case-insensitive) or TYPEnnn.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out RecordType type)
    {
        if (text.Length > 4 && text[..4].Equals("TYPE", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text[4..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            type = (RecordType)n;
            return true;
        }
        foreach (var (name, candidate) in Mnemonics)
        {
            if (text.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
