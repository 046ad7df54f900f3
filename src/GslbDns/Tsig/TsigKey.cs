namespace GslbDns.Tsig;

/// <summary>One shared secret of <c>--tsig-keys</c>.</summary>
public sealed record TsigKey(DnsName Name, TsigAlgorithm Algorithm, byte[] Secret);
