using System.Collections.Immutable;
using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>Turns the YAML tree of a policy file into a <see cref="PolicyDocument"/>, reporting every problem.</summary>
internal sealed class PolicyParser(string file, DnsName zone, SourceFields fields)
{
    public const uint DefaultTtl = 30;

    /// <summary>RFC 2181 §8: a TTL is an unsigned 31-bit value.</summary>
    public const long MaxTtl = int.MaxValue;

    private static readonly (string, ServiceMode)[] Modes = [("cname", ServiceMode.Cname), ("address", ServiceMode.Address)];

    private static readonly (string, AllDownPolicy)[] AllDownChoices =
        [("fail-open", AllDownPolicy.FailOpen), ("servfail", AllDownPolicy.ServFail), ("nodata", AllDownPolicy.NoData)];

    /// <summary>Default of <c>ttl-unhealthy</c>: short enough that resolvers come back soon after a failover.</summary>
    public const uint DefaultTtlUnhealthy = 10;

    private sealed record Defaults(uint Ttl, AllDownPolicy AllDown, LoadPolicy Load, uint TtlUnhealthy, HealthLayer? Health);

    private readonly HealthCheckReader _health = new(fields);
    private readonly LoadPolicyReader _load = new(fields);

    public PolicyDocument? Parse(SourceNode root)
    {
        var top = fields.Mapping(root, "the policy file");
        if (top is null) return null;
        fields.CheckKeys(top, "the policy file", "defaults", "services");

        var defaults = new Defaults(DefaultTtl, AllDownPolicy.FailOpen, LoadPolicy.Default, DefaultTtlUnhealthy, null);
        if (SourceFields.Get(top, "defaults") is { } defaultsNode && fields.Mapping(defaultsNode, "defaults") is { } defaultsMap)
        {
            fields.CheckKeys(defaultsMap, "defaults", "ttl", "ttl-unhealthy", "all-down", "load", "health");
            defaults = new Defaults(
                ReadTtl(defaultsMap, "ttl", DefaultTtl),
                ReadAllDown(defaultsMap, AllDownPolicy.FailOpen),
                SourceFields.Get(defaultsMap, "load") is { } loadNode ? _load.ReadService(loadNode, "defaults.load", LoadPolicy.Default) : LoadPolicy.Default,
                ReadTtl(defaultsMap, "ttl-unhealthy", DefaultTtlUnhealthy),
                SourceFields.Get(defaultsMap, "health") is { } healthNode ? _health.ReadLayer(healthNode, "defaults.health") : null);
        }

        var servicesNode = SourceFields.Get(top, "services");
        if (servicesNode is null)
        {
            fields.Error(top, "the policy file has no 'services' mapping");
            return null;
        }
        var services = fields.Mapping(servicesNode, "services");
        if (services is null) return null;
        if (services.Entries.Count == 0) fields.Error(services, "'services' is empty");

        var result = ImmutableArray.CreateBuilder<ServicePolicy>();
        var seen = new Dictionary<DnsName, int>();
        foreach (var (key, value) in services.Entries)
        {
            if (ReadServiceName(key) is not { } name) continue;
            if (!seen.TryAdd(name, key.Location.Line))
            {
                fields.Error(key, $"duplicate service {name} (first at line {seen[name]})");
                continue;
            }
            var service = ReadService(result.Count, name, key, value, defaults);
            if (service is not null) result.Add(service);
        }
        return new PolicyDocument(file, zone, result.ToImmutable());
    }

    private DnsName? ReadServiceName(SourceScalar key)
    {
        if (!DnsName.TryParse(key.Value, zone, out var name, out var error))
        {
            fields.Error(key, $"bad service name '{key.Value}': {error}");
            return null;
        }
        if (!name.IsAtOrBelow(zone))
        {
            fields.Error(key, $"service {name} is not inside zone {zone}");
            return null;
        }
        if (name.IsWildcard)
        {
            fields.Error(key, $"service {name}: wildcard names cannot be steered; list each name");
            return null;
        }
        return name;
    }

    private ServicePolicy? ReadService(int index, DnsName name, SourceScalar key, SourceNode node, Defaults defaults)
    {
        string what = $"service {name}";
        var map = fields.Mapping(node, what);
        if (map is null) return null;
        fields.CheckKeys(map, what, "mode", "ttl", "ttl-unhealthy", "all-down", "load", "health", "regions", "topology");
        int before = fields.Problems.Count;

        bool apex = name.Equals(zone);
        var mode = apex ? ServiceMode.Address : ServiceMode.Cname;
        if (SourceFields.Get(map, "mode") is { } modeNode && fields.Choice(modeNode, "mode", Modes, out var chosen))
        {
            if (apex && chosen == ServiceMode.Cname)
            {
                fields.Error(modeNode, "mode cname is not allowed at the zone apex: a CNAME cannot sit beside the SOA and NS records (RFC 1034 §3.6.2); use mode address");
            }
            mode = chosen;
        }

        var serviceHealth = SourceFields.Get(map, "health") is { } healthNode ? _health.ReadLayer(healthNode, $"{what} health") : null;
        var regions = ReadRegions(name, map, [defaults.Health, serviceHealth]);
        var rules = ReadTopology(name, map, regions);
        uint ttl = ReadTtl(map, "ttl", defaults.Ttl);
        var service = new ServicePolicy(
            index, name, mode,
            ttl,
            ReadAllDown(map, defaults.AllDown),
            SourceFields.Get(map, "load") is { } loadNode ? _load.ReadService(loadNode, "load", defaults.Load) : defaults.Load,
            regions, rules, key.Location)
        {
            // Never above the service TTL: a degraded answer must not be cached longer than a healthy one.
            TtlUnhealthy = Math.Min(ReadTtl(map, "ttl-unhealthy", defaults.TtlUnhealthy), ttl),
        };
        CheckTargets(service);
        return fields.Problems.Count == before ? service : null;
    }

    private uint ReadTtl(SourceMapping map, string key, uint fallback) =>
        SourceFields.Get(map, key) is { } node && fields.Integer(node, key, 0, MaxTtl, out long ttl) ? (uint)ttl : fallback;

    private AllDownPolicy ReadAllDown(SourceMapping map, AllDownPolicy fallback) =>
        SourceFields.Get(map, "all-down") is { } node && fields.Choice(node, "all-down", AllDownChoices, out var value) ? value : fallback;

    private ImmutableArray<RegionConfig> ReadRegions(DnsName service, SourceMapping map, HealthLayer?[] health)
    {
        var node = SourceFields.Get(map, "regions");
        if (node is null)
        {
            fields.Error(map, $"service {service} has no 'regions'");
            return [];
        }
        var regionsMap = fields.Mapping(node, "regions");
        if (regionsMap is null) return [];
        if (regionsMap.Entries.Count == 0) fields.Error(regionsMap, $"service {service} has no regions");

        var result = ImmutableArray.CreateBuilder<RegionConfig>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in regionsMap.Entries)
        {
            if (!IsRegionName(key.Value))
            {
                fields.Error(key, $"bad region name '{key.Value}': use 1 to 63 letters, digits, '-' or '_'");
                continue;
            }
            if (!seen.TryAdd(key.Value, key.Location.Line))
            {
                fields.Error(key, $"duplicate region '{key.Value}' (first at line {seen[key.Value]})");
                continue;
            }
            // Kept even when it has problems, so rules naming it resolve and report their own problems.
            result.Add(ReadRegion(service, key, value, health));
        }
        return result.ToImmutable();
    }

    private static bool IsRegionName(string name) =>
        name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The region as far as it could be read; when it has problems the document is discarded anyway.</summary>
    private RegionConfig ReadRegion(DnsName service, SourceScalar key, SourceNode node, HealthLayer?[] health)
    {
        string what = $"region '{key.Value}'";
        var map = fields.Mapping(node, what);
        if (map is null) return new RegionConfig(key.Value, zone, null, RegionConfig.DefaultWeight, null, key.Location);
        fields.CheckKeys(map, what, "target", "location", "weight", "capacity", "health", "load");
        var regionHealth = SourceFields.Get(map, "health") is { } healthNode ? _health.ReadLayer(healthNode, $"{what} health") : null;
        var check = _health.Merge([.. health, regionHealth], $"{service} region {key.Value}");

        DnsName? target = null;
        if (SourceFields.Get(map, "target") is not { } targetNode)
        {
            fields.Error(map, $"{what} has no 'target'");
        }
        else if (fields.Text(targetNode, "target") is { } targetText)
        {
            if (!DnsName.TryParse(targetText, zone, out var parsed, out var error))
            {
                fields.Error(targetNode, $"bad target '{targetText}': {error}");
            }
            else if (!parsed.IsAtOrBelow(zone))
            {
                fields.Error(targetNode, $"target {parsed} is not inside zone {zone}; its addresses must come from this zone");
            }
            else if (parsed.Equals(service))
            {
                fields.Error(targetNode, $"target {parsed} is the steered name itself");
            }
            else
            {
                target = parsed;
            }
        }

        GeoPoint? location = null;
        if (SourceFields.Get(map, "location") is { } locationNode)
        {
            location = ReadLocation(locationNode);
        }

        int weight = RegionConfig.DefaultWeight;
        if (SourceFields.Get(map, "weight") is { } weightNode && fields.Integer(weightNode, "weight", 1, RegionConfig.MaxWeight, out long w))
        {
            weight = (int)w;
        }

        long? capacity = null;
        if (SourceFields.Get(map, "capacity") is { } capacityNode && fields.Integer(capacityNode, "capacity", 1, long.MaxValue, out long c))
        {
            capacity = c;
        }

        var pull = SourceFields.Get(map, "load") is { } loadNode ? _load.ReadRegion(loadNode, $"{what} load") : null;
        return new RegionConfig(key.Value, target ?? zone, location, weight, capacity, key.Location) { Health = check, LoadSource = pull };
    }

    private GeoPoint? ReadLocation(SourceNode node)
    {
        if (node is not SourceSequence { Items.Count: 2 } pair)
        {
            fields.Error(node, "location must be [latitude, longitude] in decimal degrees");
            return null;
        }
        bool ok = fields.Number(pair.Items[0], "latitude", out double latitude);
        ok &= fields.Number(pair.Items[1], "longitude", out double longitude);
        if (!ok) return null;
        if (!GeoPoint.IsValidLatitude(latitude))
        {
            fields.Error(pair.Items[0], $"latitude {latitude} is out of range (-90 to 90)");
            ok = false;
        }
        if (!GeoPoint.IsValidLongitude(longitude))
        {
            fields.Error(pair.Items[1], $"longitude {longitude} is out of range (-180 to 180)");
            ok = false;
        }
        return ok ? new GeoPoint(latitude, longitude) : null;
    }

    private ImmutableArray<TopologyRule> ReadTopology(DnsName service, SourceMapping map, ImmutableArray<RegionConfig> regions)
    {
        var node = SourceFields.Get(map, "topology");
        if (node is null)
        {
            fields.Error(map, $"service {service} has no 'topology'; at least '- default: nearest' or '- default: [region, ...]' is needed");
            return [];
        }
        if (node is not SourceSequence list)
        {
            fields.Error(node, $"topology must be a list of rules, found {node.Kind}");
            return [];
        }
        var reader = new TopologyRuleReader(fields, regions);
        var rules = ImmutableArray.CreateBuilder<TopologyRule>();
        SourceNode? firstDefault = null;
        foreach (var item in list.Items)
        {
            var rule = reader.Read(item, out bool isDefault);
            if (firstDefault is not null)
            {
                fields.Error(item, isDefault
                    ? $"second default rule (the first is at line {firstDefault.Location.Line})"
                    : $"rule after the default rule at line {firstDefault.Location.Line} can never match; the default must be last");
            }
            if (isDefault) firstDefault ??= item;
            if (rule is not null) rules.Add(rule);
        }
        if (firstDefault is null)
        {
            fields.Error(list, $"topology of service {service} has no default rule; end it with '- default: nearest' or '- default: [region, ...]'");
        }
        CheckLocations(rules, regions);
        return rules.ToImmutable();
    }

    /// <summary>Distance ordering needs every region's location; name each region that lacks one.</summary>
    private void CheckLocations(IEnumerable<TopologyRule> rules, ImmutableArray<RegionConfig> regions)
    {
        var byDistance = rules.FirstOrDefault(r => r.Preference.Nearest);
        if (byDistance is null) return;
        foreach (var region in regions.Where(r => r.Location is null))
        {
            fields.Error(region.Source,
                $"region '{region.Name}' has no location, but the rule at line {byDistance.Source.Line} orders regions by distance");
        }
    }

    private void CheckTargets(ServicePolicy service)
    {
        var seen = new Dictionary<DnsName, RegionConfig>();
        foreach (var region in service.Regions.Where(r => !r.Target.Equals(zone)))
        {
            if (!seen.TryAdd(region.Target, region))
            {
                fields.Error(region.Source, $"region '{region.Name}' has the same target as region '{seen[region.Target].Name}' (line {seen[region.Target].Source.Line}); health and load are tracked per target");
            }
        }
    }
}
