namespace GslbDns.Health;

/// <summary>How an address is probed (policy key <c>health.check</c>).</summary>
public enum CheckKind : byte
{
    /// <summary>Not probed: the address counts as up.</summary>
    None,

    /// <summary>A TCP connection is opened and closed.</summary>
    Tcp,

    /// <summary>An HTTP/1.1 request over a fresh connection; status and body are compared.</summary>
    Http,

    /// <summary>As <see cref="Http"/>, over TLS with SNI set to the host.</summary>
    Https,

    /// <summary>A DNS query over UDP; NOERROR with at least one answer is a success.</summary>
    Dns,
}
