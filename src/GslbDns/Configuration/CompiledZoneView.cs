using GslbDns.Protocol;
using GslbDns.Steering.Policy;
using GslbDns.Zones;

namespace GslbDns.Configuration;

/// <summary>Lets the policy validator ask the zone it steers what records exist.</summary>
public sealed class CompiledZoneView(CompiledZone zone) : IPolicyZoneView
{
    public bool HasRecords(DnsName name, RecordType type) => zone.Find(name)?.Find(type) is not null;

    public bool HasAnyRecords(DnsName name) => zone.Find(name) is { IsEmptyNonTerminal: false };
}
