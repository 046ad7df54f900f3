using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>One entry of a service's topology list; the first rule that matches a client decides.</summary>
public sealed record TopologyRule(TopologyMatch Match, RulePreference Preference, SourceLocation Source)
{
    /// <summary>The default rule (last in every valid policy) matches every client.</summary>
    public bool IsDefault => Match.IsEverything;
}
