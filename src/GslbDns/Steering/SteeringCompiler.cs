using GslbDns.Protocol;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Steering.Topology;
using GslbDns.Zones;

namespace GslbDns.Steering;

/// <summary>
/// Compiles a policy against its zone and the GeoIP databases. All the work of classifying clients
/// happens here, once per distinct network, so a query does one tree walk.
/// </summary>
public static class SteeringCompiler
{
    /// <summary>
    /// Compiles and attaches the result to <paramref name="state"/>, which maps the run-time state
    /// (kept by service, region and address names) onto this document's indices.
    /// </summary>
    public static ZoneSteering Compile(PolicyDocument document, CompiledZone zone, GeoDatabaseSet? databases, RegionStateStore state,
        GeoTreeCache? trees = null)
    {
        trees ??= new GeoTreeCache();
        var services = new SteeredService[document.Services.Length];
        foreach (var policy in document.Services)
        {
            var classifier = new TopologyClassifier(policy);
            var compiled = trees.GetOrCompile(policy, classifier, databases);
            var regions = new SteeredRegion[policy.Regions.Length];
            for (int i = 0; i < regions.Length; i++)
            {
                var target = policy.Regions[i].Target;
                var node = zone.Find(target);
                var cname = new RRSet(RecordType.CNAME, policy.Ttl, [new Rdata(target.Wire.ToArray(), new Writing.RdataNames(0))]);
                regions[i] = new SteeredRegion(i, target, node, cname, Retimed(node?.Find(RecordType.A), policy.Ttl),
                    Retimed(node?.Find(RecordType.AAAA), policy.Ttl));
            }
            bool answersAddresses = policy.Mode == ServiceMode.Address || policy.Name.Equals(zone.Origin);
            services[policy.Index] = new SteeredService(policy, answersAddresses, compiled.Tree, compiled.Rankings, classifier, regions);
        }
        var addresses = services.Select(s => s.Regions.Select(r => AddressesOf(r)).ToArray()).ToArray();
        // Every A/AAAA RRset an answer may carry for a region: the target's own (CNAME answers and
        // direct queries of the target) and the service-TTL copies (address mode).
        var sets = services.Select(s => s.Regions.Select(r =>
        {
            var node = zone.Find(r.Target);
            RRSet?[] all = [node?.Find(RecordType.A), node?.Find(RecordType.AAAA), r.ServiceA, r.ServiceAaaa];
            return all.Where(s => s is not null).Select(s => s!.Value).ToArray();
        }).ToArray()).ToArray();
        return new ZoneSteering(document, state.Attach(document, addresses, sets), services);
    }

    /// <summary>The target's addresses, as health checks track them.</summary>
    private static UInt128[] AddressesOf(SteeredRegion region) =>
        region.AddressRecords().Select(r => AddressFilter.AddressOf(r.Bytes)).ToArray();

    private static RRSet? Retimed(RRSet? set, uint ttl) => set is { } s ? new RRSet(s.Type, ttl, s.Records.ToArray()) : null;
}
