namespace GslbDns.Steering.State;

/// <summary>The state of one region of one service, as the chooser needs it.</summary>
/// <param name="Admin">The operator override.</param>
/// <param name="Health">
/// The region as a whole: <see cref="HealthStatus.Down"/> only when every address of its target is down;
/// <see cref="HealthStatus.Up"/> when any is up; otherwise unknown.
/// </param>
/// <param name="Load">The latest trustworthy load report, if any.</param>
public readonly record struct RegionStatus(AdminRegionState Admin, HealthStatus Health, LoadReport? Load)
{
    public static readonly RegionStatus AllUp = new(AdminRegionState.Active, HealthStatus.Up, null);

    /// <summary>Folds per-address health into a region's: down only when every address is down.</summary>
    public static HealthStatus Aggregate(ReadOnlySpan<HealthStatus> addresses)
    {
        bool anyUnknown = false;
        foreach (var health in addresses)
        {
            if (health == HealthStatus.Up) return HealthStatus.Up;
            if (health == HealthStatus.Unknown) anyUnknown = true;
        }
        return anyUnknown || addresses.IsEmpty ? HealthStatus.Unknown : HealthStatus.Down;
    }
}
