namespace GslbDns.RateLimiting;

/// <summary>
/// Response rate limiting, with the meaning of BIND's <c>rate-limit</c> options. Bound from the
/// <c>Server:Rrl</c> section (command line <c>--rrl-*</c>, environment <c>GSLBDNS_Server__Rrl__*</c>).
/// </summary>
public sealed class RrlOptions
{
    /// <summary>Identical answers (same name and type) a client block gets per second; 0 turns RRL off.</summary>
    public int ResponsesPerSecond { get; set; }

    /// <summary>NXDOMAIN answers per zone and client block per second; unset: <see cref="ResponsesPerSecond"/>.</summary>
    public int? NxdomainsPerSecond { get; set; }

    /// <summary>Error answers (SERVFAIL, FORMERR, REFUSED, NOTIMP...) per client block per second; unset: <see cref="ResponsesPerSecond"/>.</summary>
    public int? ErrorsPerSecond { get; set; }

    /// <summary>Seconds over which a flood's excess is remembered: a block that kept flooding stays limited this long after it stops.</summary>
    public int WindowSeconds { get; set; } = 15;

    /// <summary>Every Nth limited reply is sent truncated (TC=1) so a real resolver retries over TCP; 0 never, 1 always.</summary>
    public int Slip { get; set; } = 2;

    /// <summary>IPv4 client block: clients in one /N share their limits.</summary>
    public int PrefixV4 { get; set; } = 24;

    /// <summary>IPv6 client block.</summary>
    public int PrefixV6 { get; set; } = 56;

    /// <summary>Client networks never limited (monitoring, own resolvers).</summary>
    public List<string> Exempt { get; set; } = [];

    /// <summary>Count and log what would be limited, but answer everything.</summary>
    public bool LogOnly { get; set; }

    /// <summary>Accounts kept (a fixed table allocated at start; a flood from random sources recycles entries, memory stays bounded).</summary>
    public int TableSize { get; set; } = 65536;

    public bool Enabled => ResponsesPerSecond > 0 || NxdomainsPerSecond > 0 || ErrorsPerSecond > 0;
}
