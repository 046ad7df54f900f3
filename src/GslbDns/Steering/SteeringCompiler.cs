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
    public static ZoneSteering Compile(PolicyDocument document, CompiledZone zone, GeoDatabaseSet? databases, IRegionStateSource state,
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
                var cname = new RRSet(RecordType.CNAME, policy.Ttl, [new Rdata(target.WireArray, new Writing.RdataNames(0))]);
                regions[i] = new SteeredRegion(i, target, cname, Retimed(node?.Find(RecordType.A), policy.Ttl),
                    Retimed(node?.Find(RecordType.AAAA), policy.Ttl));
            }
            bool answersAddresses = policy.Mode == ServiceMode.Address || policy.Name.Equals(zone.Origin);
            services[policy.Index] = new SteeredService(policy, answersAddresses, compiled.Tree, compiled.Rankings, classifier, regions);
        }
        return new ZoneSteering(document, state, services);
    }

    private static RRSet? Retimed(RRSet? set, uint ttl) => set is null ? null : new RRSet(set.Type, ttl, set.Records);
}
