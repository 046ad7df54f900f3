namespace GslbDns.Steering.Policy;

/// <summary>Where clients shed from a loaded region go (policy key <c>load.spill</c>).</summary>
public enum SpillMode : byte
{
    /// <summary>To the next usable rank of the client's ranking.</summary>
    Next,

    /// <summary>
    /// Over every other usable region of the ranking, in proportion to spare capacity
    /// (capacity × (1 − load); a region without a report counts with its weight), so one hot or failed
    /// region does not cascade into the next-nearest one.
    /// </summary>
    Capacity,
}

/// <summary>
/// How a service reacts to the load its regions report (policy block <c>load</c>). A region's load is
/// max(cpu, memory, connections / capacity). Below <see cref="ShedStart"/> it keeps every client;
/// between start and <see cref="ShedFull"/> the share (load − start) / (full − start) of its client
/// networks goes elsewhere; at full all of them.
/// </summary>
/// <param name="ReportTtl">How long a report stays valid when it names no ttl of its own.</param>
public sealed record LoadPolicy(double ShedStart, double ShedFull, SpillMode Spill, TimeSpan ReportTtl)
{
    public static readonly TimeSpan DefaultReportTtl = TimeSpan.FromSeconds(30);

    /// <summary>The longest a report may ask to stay valid.</summary>
    public static readonly TimeSpan MaxReportTtl = TimeSpan.FromHours(1);

    public static readonly LoadPolicy Default = new(0.80, 0.95, SpillMode.Next, DefaultReportTtl);

    /// <summary>The share of the region's client networks shed at <paramref name="load"/> (0 when unknown, i.e. NaN).</summary>
    public double ShedShare(double load)
    {
        if (double.IsNaN(load) || load <= ShedStart) return 0;
        if (load >= ShedFull) return 1;
        return (load - ShedStart) / (ShedFull - ShedStart);
    }
}
