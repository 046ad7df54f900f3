namespace GslbDns.Steering.Policy;

/// <summary>What to answer when no region of a service is live.</summary>
public enum AllDownPolicy : byte
{
    /// <summary>
    /// Answer as if every region were up. When every region looks down the monitoring is the more
    /// likely failure, and the steady-state answer is the least harmful guess.
    /// </summary>
    FailOpen,

    /// <summary>SERVFAIL (RFC 1035 §4.1.1), so resolvers retry elsewhere or later.</summary>
    ServFail,

    /// <summary>NOERROR with an empty answer (RFC 2308 §2.2), negatively cached for the SOA minimum.</summary>
    NoData,
}
