namespace GslbDns.Steering.State;

/// <summary>
/// What a region reported about its load (pushed over the API or pulled from its load balancer).
/// Every part is optional; a report carries at least one of them.
/// </summary>
/// <param name="Cpu">CPU use as a fraction, 0 to 1.</param>
/// <param name="Memory">Memory use as a fraction, 0 to 1.</param>
/// <param name="Connections">Open connections (or sessions) now.</param>
/// <param name="Capacity">Connections the region takes; when absent the policy's <c>capacity</c> applies.</param>
/// <param name="Utilization">
/// A load figure of its own, 0 to 1, for sources that give one number rather than cpu, memory or
/// connections (an HAProxy agent's <c>75%</c> available is 0.25 utilization).
/// </param>
public readonly record struct LoadReport(double? Cpu, double? Memory, long? Connections, long? Capacity, double? Utilization = null)
{
    /// <summary>The connections the ratio divides by: the report's own capacity, else the policy's.</summary>
    public long? EffectiveCapacity(long? configured) => Capacity is > 0 ? Capacity : configured is > 0 ? configured : null;

    /// <summary>
    /// max(cpu, memory, utilization, connections / capacity) over the parts present; NaN when none can be used
    /// (only connections, with no capacity from the report or the policy).
    /// </summary>
    public double Ratio(long? configuredCapacity)
    {
        double ratio = double.NaN;
        if (Cpu is { } cpu) ratio = Max(ratio, cpu);
        if (Memory is { } memory) ratio = Max(ratio, memory);
        if (Utilization is { } utilization) ratio = Max(ratio, utilization);
        if (Connections is { } connections && EffectiveCapacity(configuredCapacity) is { } capacity)
        {
            ratio = Max(ratio, (double)connections / capacity);
        }
        return ratio;
    }

    private static double Max(double current, double value) => double.IsNaN(current) ? value : Math.Max(current, value);
}

/// <summary>A report as the store keeps it: when it arrived and until when it counts.</summary>
public readonly record struct ReceivedLoad(LoadReport Report, DateTimeOffset Received, long ExpiresAt, string Source);
