using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Steering.State;

/// <summary>One line of the admin override file: a region of a service and the state it is forced into.</summary>
public sealed record AdminEntry(DnsName Service, string Region, AdminRegionState State, SourceLocation Source);
