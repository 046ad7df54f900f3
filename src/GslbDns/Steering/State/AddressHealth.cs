namespace GslbDns.Steering.State;

/// <summary>Health of one address of a region's target (128-bit, IPv4 as ::ffff:a.b.c.d like <see cref="Pipeline.ClientAddress"/>).</summary>
public readonly record struct AddressHealth(UInt128 Address, HealthStatus Health);
