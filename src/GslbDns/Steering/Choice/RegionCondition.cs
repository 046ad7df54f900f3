namespace GslbDns.Steering.Choice;

/// <summary>Where a region stands for one decision, from its admin override, health and load.</summary>
public enum RegionCondition : byte
{
    /// <summary>Active, not known to be down, not overloaded.</summary>
    Live,

    /// <summary>Live but at or over a load threshold: used only when no region in the ranking is <see cref="Live"/>.</summary>
    Shedding,

    /// <summary>The operator drains it.</summary>
    Drained,

    /// <summary>The operator marked it down.</summary>
    AdminDown,

    /// <summary>Every address of its target failed health checks.</summary>
    HealthDown,
}
