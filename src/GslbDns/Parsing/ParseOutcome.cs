namespace GslbDns.Parsing;

public enum ParseOutcome : byte
{
    /// <summary>A well-formed QUERY with one question.</summary>
    Query,
    /// <summary>Not something we answer at all (too short, or a response): no reply, RFC 1035 §4.1.1 leaves no header to echo.</summary>
    Drop,
    /// <summary>Malformed: reply FORMERR, echoing the question only if it was read.</summary>
    FormatError,
    /// <summary>An opcode we do not implement: reply NOTIMP.</summary>
    NotImplemented,
    /// <summary>EDNS version we do not speak (RFC 6891 §6.1.3): reply BADVERS.</summary>
    BadVersion,
}
