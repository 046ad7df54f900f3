namespace GslbDns.Steering.State;

/// <summary>The state of one region of one service, as the chooser needs it, prepared when the state changed.</summary>
/// <param name="Admin">The operator override (the admin file and API drains combined).</param>
/// <param name="Health">
/// The region as a whole: <see cref="HealthStatus.Down"/> only when every address of its target is down;
/// <see cref="HealthStatus.Up"/> when any is up; otherwise unknown.
/// </param>
/// <param name="Load">max(cpu, memory, connections / capacity) of the latest valid report; NaN when there is none (load unknown: idle).</param>
/// <param name="ShedShare">The share of the region's client networks that go elsewhere at that load (0 to 1).</param>
/// <param name="Spare">
/// Spare capacity, capacity × (1 − load), that spill by capacity divides by; NaN when the region has no
/// report (it then counts with its weight).
/// </param>
public readonly record struct RegionStatus(
    AdminRegionState Admin,
    HealthStatus Health,
    double Load = double.NaN,
    double ShedShare = 0,
    double Spare = double.NaN)
{
    public static readonly RegionStatus AllUp = new(AdminRegionState.Active, HealthStatus.Up);

    /// <summary>A valid load report is in force.</summary>
    public bool HasLoad => !double.IsNaN(Load);

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
