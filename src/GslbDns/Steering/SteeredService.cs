using GslbDns.Protocol;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.Topology;
using GslbDns.Zones;

namespace GslbDns.Steering;

/// <summary>
/// One steered name, compiled: its look-up tree (GeoIP and topology rules folded into one walk),
/// the outcome each tree leaf stands for, and every answer RRset prepared per region.
/// </summary>
public sealed class SteeredService
{
    internal SteeredService(ServicePolicy policy, bool answersAddresses, GeoTree tree, RegionRanking[] rankings,
        TopologyClassifier classifier, SteeredRegion[] regions)
    {
        Policy = policy;
        AnswersAddresses = answersAddresses;
        Tree = tree;
        Rankings = rankings;
        Classifier = classifier;
        Regions = regions;
    }

    public ServicePolicy Policy { get; }

    /// <summary>True at the apex (CNAME is illegal there) and for mode: address.</summary>
    public bool AnswersAddresses { get; }

    public GeoTree Tree { get; }

    /// <summary>Indexed by the int a <see cref="Tree"/> leaf holds.</summary>
    public RegionRanking[] Rankings { get; }

    public TopologyClassifier Classifier { get; }

    public SteeredRegion[] Regions { get; }
}

/// <summary>A region's answers, prepared at load: the alias CNAME and its addresses at the service TTL.</summary>
public sealed class SteeredRegion
{
    internal SteeredRegion(int index, DnsName target, ZoneNode? targetNode, RRSet cname, RRSet? a, RRSet? aaaa)
    {
        Index = index;
        Target = target;
        TargetNode = targetNode;
        Cname = cname;
        ServiceA = a;
        ServiceAaaa = aaaa;
    }

    public int Index { get; }

    public DnsName Target { get; }

    /// <summary>The target's node in the zone the steering was compiled with (null when the zone has no such name).</summary>
    public ZoneNode? TargetNode { get; }

    /// <summary>alias CNAME target, at the service TTL.</summary>
    public RRSet Cname { get; }

    /// <summary>The target's A records re-owned for address-mode answers, at the service TTL.</summary>
    public RRSet? ServiceA { get; }

    public RRSet? ServiceAaaa { get; }

    /// <summary>The target's A and then AAAA records: the addresses health checks and reports track.</summary>
    public Rdata[] AddressRecords() =>
        [.. ServiceA is { } a ? a.Records : default, .. ServiceAaaa is { } aaaa ? aaaa.Records : default];
}
