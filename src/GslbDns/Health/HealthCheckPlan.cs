using System.Net;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Health;

/// <summary>Derives the checks to run from the zone set being served: every address of every region's target.</summary>
public static class HealthCheckPlan
{
    public static IReadOnlyList<HealthCheck> From(ZoneSet zones)
    {
        var checks = new Dictionary<HealthCheckKey, List<AddressKey>>();
        var specs = new Dictionary<HealthCheckKey, HealthCheckSpec>();
        foreach (var served in zones.Zones)
        {
            if (served.Steering is not { } steering) continue;
            foreach (var service in steering.Services)
            {
                foreach (var region in service.Regions)
                {
                    var config = service.Policy.Regions[region.Index];
                    var spec = config.Health;
                    if (spec.Kind == CheckKind.None) continue;
                    var records = region.AddressRecords();
                    foreach (var record in records)
                    {
                        var address = new IPAddress(record.Bytes);
                        var probed = spec.Address ?? address;
                        var key = new HealthCheckKey(service.Policy.Name, config.Name, new IPEndPoint(probed, spec.EffectivePort), spec.Identity);
                        if (!checks.TryGetValue(key, out var list)) checks[key] = list = [];
                        list.Add(new AddressKey(service.Policy.Name, config.Name, Steering.AddressFilter.AddressOf(record.Bytes)));
                        specs[key] = spec;
                    }
                }
            }
        }
        return checks.Select(c => new HealthCheck(c.Key, specs[c.Key], c.Value.Distinct().ToArray())).ToArray();
    }
}
