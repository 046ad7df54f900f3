namespace GslbDns.Steering.State;

/// <summary>
/// The latest load a region reported. A source returns none when it has no report or the report is
/// too old to trust; how old is too old is the source's decision, as only it knows how often reports come.
/// </summary>
/// <param name="CpuPercent">CPU use, 0 to 100.</param>
/// <param name="MemoryPercent">Memory use, 0 to 100.</param>
/// <param name="Connections">Open connections (or sessions) now.</param>
/// <param name="Capacity">Connections the region takes; 0 when the report does not say (the policy's capacity then applies).</param>
/// <param name="Timestamp">When the region measured this.</param>
public readonly record struct LoadReport(double CpuPercent, double MemoryPercent, long Connections, long Capacity, DateTimeOffset Timestamp);
