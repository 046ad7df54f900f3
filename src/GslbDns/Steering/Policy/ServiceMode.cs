namespace GslbDns.Steering.Policy;

/// <summary>How a steered name is answered.</summary>
public enum ServiceMode : byte
{
    /// <summary>
    /// The alias answers with a CNAME to the chosen region's target, followed by the target's A/AAAA
    /// (RFC 1034 §3.6.2). Not allowed at the zone apex, where a CNAME cannot sit beside SOA and NS.
    /// </summary>
    Cname,

    /// <summary>The alias answers the chosen region's A/AAAA records directly under its own name.</summary>
    Address,
}
