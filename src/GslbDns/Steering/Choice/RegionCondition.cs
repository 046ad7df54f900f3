namespace GslbDns.Steering.Choice;

/// <summary>Where a region stands for one decision, from its admin override and health (load never makes a region unusable).</summary>
public enum RegionCondition : byte
{
    /// <summary>Active and not known to be down: usable.</summary>
    Live,

    /// <summary>The operator drains it.</summary>
    Drained,

    /// <summary>The operator marked it down.</summary>
    AdminDown,

    /// <summary>Every address of its target failed health checks.</summary>
    HealthDown,
}
