using GslbDns.Pipeline;
using GslbDns.Steering.Choice;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Topology;

namespace GslbDns.Steering;

/// <summary>
/// What the steering step decided and why, filled in only when asked (the explain command); the
/// query path passes null and pays nothing for it.
/// </summary>
public sealed class SteeringTrace
{
    public SteeredService? Service { get; set; }

    /// <summary>Set when the name asked was a region's target rather than a service.</summary>
    public int TargetRegion { get; set; } = -1;

    public ClientAddress Client { get; set; }

    /// <summary>The client network's key that weighted splits and shedding hash.</summary>
    public ulong ClientKey { get; set; }

    /// <summary>Where <see cref="Client"/> came from: "ECS 198.51.100.0/24" or "source address".</summary>
    public string ClientSource { get; set; } = "";

    public GeoFacts Facts { get; set; }

    public int TreeScope { get; set; }

    public TopologyOutcome? Outcome { get; set; }

    public RegionChoice Choice { get; set; }

    public RegionVerdict[] Verdicts { get; set; } = [];

    public int ScopePrefix { get; set; } = -1;
}
