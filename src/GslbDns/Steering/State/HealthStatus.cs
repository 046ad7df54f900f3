namespace GslbDns.Steering.State;

/// <summary>What health checks last said about an address, or about a region as a whole.</summary>
public enum HealthStatus : byte
{
    /// <summary>Not checked yet or no result; treated as usable so a monitoring gap does not black-hole traffic.</summary>
    Unknown,
    Up,
    Down,
}
