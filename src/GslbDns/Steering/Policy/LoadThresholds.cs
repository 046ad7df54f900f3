namespace GslbDns.Steering.Policy;

/// <summary>
/// Load at which a region sheds: at or over either percentage (or at its connection capacity) it is
/// used only when no other region in the ranking is live.
/// </summary>
public sealed record LoadThresholds(double CpuPercent, double MemoryPercent)
{
    public static readonly LoadThresholds Default = new(90, 90);
}
