using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>Cross-checks a policy against the records of the zone it steers.</summary>
internal static class PolicyZoneCheck
{
    public static void Check(PolicyDocument document, IPolicyZoneView zone, List<ZoneProblem> problems)
    {
        foreach (var service in document.Services)
        {
            if (service.Mode == ServiceMode.Cname && zone.HasAnyRecords(service.Name))
            {
                problems.Add(new ZoneProblem(service.Source,
                    $"{service.Name} is answered with a CNAME, so the zone must hold no other records at that name (RFC 1034 §3.6.2, RFC 2181 §10.1)"));
            }
            if (service.Mode == ServiceMode.Address
                && (zone.HasRecords(service.Name, RecordType.A) || zone.HasRecords(service.Name, RecordType.AAAA) || zone.HasRecords(service.Name, RecordType.CNAME)))
            {
                problems.Add(new ZoneProblem(service.Source,
                    $"{service.Name} is answered with the chosen region's addresses, so the zone must hold no A, AAAA or CNAME records at that name"));
            }
            foreach (var region in service.Regions)
            {
                if (!zone.HasRecords(region.Target, RecordType.A) && !zone.HasRecords(region.Target, RecordType.AAAA))
                {
                    problems.Add(new ZoneProblem(region.Source,
                        $"target {region.Target} of region '{region.Name}' has no A or AAAA records in zone {document.Zone}"));
                }
            }
        }
    }
}
