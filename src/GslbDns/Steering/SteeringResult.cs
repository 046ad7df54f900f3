namespace GslbDns.Steering;

/// <summary>What the steering step adds to a reply beside the records it chose.</summary>
public struct SteeringResult
{
    /// <summary>The steering step produced the answer (the zone look-up is not run again).</summary>
    public bool Steered;

    /// <summary>The ECS scope prefix (RFC 7871 §7.2.1): how much of the client address the answer depended on.</summary>
    public byte ScopePrefix;

    /// <summary>The service's all-down policy asked for SERVFAIL.</summary>
    public bool ServerFailure;
}
