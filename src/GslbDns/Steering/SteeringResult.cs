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

    /// <summary>The steered service that decided (null when no decision was made).</summary>
    public SteeredService? Service;

    /// <summary>Index of the chosen region in <see cref="Service"/>'s regions; -1 when none.</summary>
    public int Region;

    /// <summary>Why the decision went where it went.</summary>
    public SteeringReason Reason;

    /// <summary>The name of the chosen region, or null.</summary>
    public readonly string? RegionName => Service is not null && Region >= 0 ? Service.Policy.Regions[Region].Name : null;
}
