using GslbDns.Protocol;

namespace GslbDns.Steering.Policy;

/// <summary>
/// The few questions the policy validator asks about the zone the policy steers, so that a policy
/// naming a target with no addresses, or a CNAME-mode name that also owns other records, is refused
/// at load time instead of producing broken answers.
/// </summary>
public interface IPolicyZoneView
{
    /// <summary>True when the zone holds at least one record of <paramref name="type"/> owned by <paramref name="name"/>.</summary>
    bool HasRecords(DnsName name, RecordType type);

    /// <summary>True when the zone holds any record at all owned by <paramref name="name"/>.</summary>
    bool HasAnyRecords(DnsName name);
}
