namespace GslbDns.RateLimiting;

/// <summary>How RRL groups a response (BIND's classes): each class has its own rate and account key.</summary>
public enum ResponseClass : byte
{
    /// <summary>Not counted (TCP, exempt, or RRL off).</summary>
    None,

    /// <summary>A positive answer or a referral: keyed by query name and type.</summary>
    Answer,

    /// <summary>NOERROR without data: keyed by zone.</summary>
    NoData,

    /// <summary>NXDOMAIN: keyed by zone, at the nxdomains rate.</summary>
    NxDomain,

    /// <summary>Any error rcode: one account per client block, at the errors rate.</summary>
    Error,
}

/// <summary>What RRL did with one response.</summary>
public enum RrlAction : byte
{
    /// <summary>Sent as built.</summary>
    Sent,

    /// <summary>Over the limit and not sent.</summary>
    Dropped,

    /// <summary>Over the limit and sent truncated (TC=1, no records) so a real client retries over TCP.</summary>
    Slipped,

    /// <summary>Over the limit with a server cookie that is not ours: BADCOOKIE with a fresh cookie (RFC 7873 §5.2.3).</summary>
    BadCookie,

    /// <summary>Over the limit in log-only mode: sent, counted and logged.</summary>
    WouldLimit,
}
