namespace GslbDns.Steering.State;

/// <summary>What kind of state a <see cref="StateChange"/> is about.</summary>
public enum StateChangeKind : byte
{
    /// <summary>An address's health verdict (up, down, unknown).</summary>
    Health,

    /// <summary>A drain set or cleared over the API.</summary>
    ApiDrain,

    /// <summary>A drain set or cleared by the region's pulled HAProxy agent check.</summary>
    AgentDrain,

    /// <summary>What zones/admin-state.yaml says of the region (active, drain, down).</summary>
    AdminFile,

    /// <summary>The region started or stopped shedding client networks because of its load.</summary>
    Shedding,
}

/// <summary>
/// One change of a region's run-time state, by name.
/// </summary>
/// <param name="Sequence">Grows by one per change recorded since start, so a reader can tell new entries from seen ones.</param>
/// <param name="Address">The address whose verdict changed (health changes only).</param>
/// <param name="From">The state before (<c>up</c>, <c>active</c>, <c>drained</c>, <c>none</c>...).</param>
/// <param name="To">The state after.</param>
/// <param name="Detail">Why or by whom: the probe result, the token name, <c>admin-state.yaml</c>, the load ratio.</param>
public sealed record StateChange(
    long Sequence,
    DateTimeOffset Time,
    StateChangeKind Kind,
    RegionKey Region,
    string? Address,
    string From,
    string To,
    string? Detail);
