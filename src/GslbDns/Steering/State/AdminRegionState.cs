namespace GslbDns.Steering.State;

/// <summary>An operator's override for one region of one service (zones/admin-state.yaml).</summary>
public enum AdminRegionState : byte
{
    /// <summary>No override: health and load decide.</summary>
    Active,

    /// <summary>Hand out no new answers for the region (clients already holding one keep it until the TTL runs out).</summary>
    Drain,

    /// <summary>Treat the region as down whatever its health checks say.</summary>
    Down,
}
