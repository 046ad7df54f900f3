using GslbDns.Steering;
using GslbDns.Writing;
using GslbDns.Zones;

namespace GslbDns.Transfer;

/// <summary>One record of a transfer, as it is written.</summary>
public readonly record struct TransferRecord(DnsName Owner, RecordType Type, uint Ttl, Rdata Data);

/// <summary>
/// What a secondary receives for a zone: SOA first, every RRset of the zone, SOA last (RFC 5936 §2.2).
/// A steered name is sent as its static fallback, the first region of the policy's default rule: the
/// CNAME to that region's target (cname mode; the target's addresses are zone records anyway) or the
/// target's A/AAAA at the name (address mode, and at the apex), at the service TTL. A secondary
/// then answers every steered name correctly for everyone, only without steering.
/// </summary>
public static class TransferContent
{
    public static List<TransferRecord> Of(ServedZone served)
    {
        var zone = served.Zone;
        var services = new Dictionary<DnsName, SteeredService>(WireComparer.Instance);
        foreach (var service in served.Steering?.Services ?? []) services[service.Policy.Name] = service;

        var records = new List<TransferRecord>(zone.RecordCount + 2 * services.Count + 2);
        var soa = zone.Soa;
        records.Add(new TransferRecord(zone.Origin, RecordType.SOA, soa.Ttl, soa.Records[0]));
        // Apex first, then the rest in name order: deterministic, and the apex's names are the
        // first compression targets of every message.
        foreach (var node in zone.Nodes.OrderBy(n => n.Name.Equals(zone.Origin) ? 0 : 1).ThenBy(n => n.Name, WireOrder.Instance))
        {
            services.TryGetValue(node.Name, out var steered);
            foreach (var set in node.Sets)
            {
                if (set.Type == RecordType.SOA && node == zone.Apex) continue;
                // The policy's validator keeps A, AAAA and CNAME off steered names; the fallback stands in for them.
                if (steered is not null && set.Type is RecordType.A or RecordType.AAAA or RecordType.CNAME) continue;
                Add(records, node.Name, set);
            }
            if (steered is not null) AddFallback(records, steered);
        }
        foreach (var (name, service) in services)
        {
            // Names that exist only through steering have no node of their own.
            if (zone.Find(name) is null) AddFallback(records, service);
        }
        records.Add(new TransferRecord(zone.Origin, RecordType.SOA, soa.Ttl, soa.Records[0]));
        return records;
    }

    /// <summary>The region a client nobody knows gets: the first of the default (last) rule's preference.</summary>
    public static SteeredRegion FallbackRegion(SteeredService service)
    {
        var preference = service.Policy.Rules[^1].Preference;
        var ranking = preference.Ranks ?? preference.Fallback;
        int index = ranking is { Regions.Length: > 0 } ? ranking.Regions[0] : 0;
        return service.Regions[index];
    }

    private static void AddFallback(List<TransferRecord> records, SteeredService service)
    {
        var region = FallbackRegion(service);
        var name = service.Policy.Name;
        if (!service.AnswersAddresses)
        {
            Add(records, name, region.Cname);
            return;
        }
        if (region.ServiceA is { } a) Add(records, name, a);
        if (region.ServiceAaaa is { } aaaa) Add(records, name, aaaa);
    }

    private static void Add(List<TransferRecord> records, DnsName owner, RRSet set)
    {
        foreach (var rdata in set.Records) records.Add(new TransferRecord(owner, set.Type, set.Ttl, rdata));
    }

    private sealed class WireOrder : IComparer<DnsName>
    {
        public static readonly WireOrder Instance = new();

        public int Compare(DnsName x, DnsName y) => x.Wire.SequenceCompareTo(y.Wire);
    }
}
