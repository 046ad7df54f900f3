namespace GslbDns.Protocol;

/// <summary>Fixed numbers of the DNS message format, one name each (RFC 1035 §4.1, §3.2.4).</summary>
public static class DnsWire
{
    /// <summary>The header: ID, flags and the four section counts.</summary>
    public const int HeaderLength = 12;

    /// <summary>CLASS IN.</summary>
    public const ushort ClassIN = 1;

    /// <summary>CLASS CH (CHAOS): where servers answer who and what they are (id.server, version.bind).</summary>
    public const ushort ClassCH = 3;

    /// <summary>QCLASS * (ANY).</summary>
    public const ushort ClassAny = 255;
}
