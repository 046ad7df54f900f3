namespace GslbDns.Listening;

/// <summary>The one fact about DNS content the listeners need.</summary>
internal static class DnsHeader
{
    /// <summary>Fixed header size (RFC 1035 §4.1.1); anything shorter cannot be a DNS message.</summary>
    public const int Length = 12;
}
