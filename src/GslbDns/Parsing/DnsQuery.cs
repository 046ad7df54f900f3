using System.Runtime.CompilerServices;
using GslbDns.Protocol;

namespace GslbDns.Parsing;

[InlineArray(DnsName.MaxWireLength)]
public struct NameBuffer
{
    private byte _first;
}

/// <summary>
/// A parsed query, held by value so the query path allocates nothing. The question name is kept
/// twice: as the client sent it (echoed back, RFC 4343 §4.1 case preservation happens through that
/// echo) and lower-cased for look-ups.
/// </summary>
public struct DnsQuery
{
    public ushort Id;
    public byte Opcode;
    public bool RecursionDesired;
    public bool CheckingDisabled;

    /// <summary>Offset just past the question section in the original message; 0 when no question was read.</summary>
    public int QuestionEnd;
    public int QNameLength;
    public NameBuffer QNameLower;
    public RecordType QType;
    public ushort QClass;

    public bool HasEdns;
    public byte EdnsVersion;
    public bool DnssecOk;
    public ushort UdpPayloadSize;
    public ClientSubnetOption ClientSubnet;

    /// <summary>The query carried an NSID option (RFC 5001): the reply says which server answered.</summary>
    public bool WantsNsid;

    /// <summary>Where the first COOKIE option's data starts in the message (RFC 7873 §4); 0 when there is none.</summary>
    public int CookieOffset;

    /// <summary>Its length: 8 (client cookie alone) or 16 to 40 (with a server cookie); 0 when there is none.</summary>
    public int CookieLength;

    /// <summary>Where the TSIG record (RFC 8945), the last of the additional section, starts; 0 when there is none.</summary>
    public int TsigStart;

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public readonly ReadOnlySpan<byte> QName => ((ReadOnlySpan<byte>)QNameLower)[..QNameLength];
}

/// <summary>An EDNS Client Subnet option (RFC 7871 §6) as the client sent it.</summary>
public struct ClientSubnetOption
{
    public bool Present;
    /// <summary>1 = IPv4, 2 = IPv6 (IANA address family numbers).</summary>
    public ushort Family;
    public byte SourcePrefix;
    public byte ScopePrefix;
    /// <summary>The address, masked to the source prefix, as 128 bits (IPv4 mapped to ::ffff:0:0/96).</summary>
    public UInt128 Address;
}
