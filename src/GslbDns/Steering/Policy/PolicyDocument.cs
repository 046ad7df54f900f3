using System.Collections.Frozen;
using System.Collections.Immutable;
using GslbDns.Protocol;

namespace GslbDns.Steering.Policy;

/// <summary>The steering policy of one zone, as read from its <c>&lt;zone&gt;.gslb.yaml</c> file.</summary>
public sealed record PolicyDocument(string File, DnsName Zone, ImmutableArray<ServicePolicy> Services)
{
    private readonly FrozenDictionary<DnsName, ServicePolicy> _byName = Services.ToFrozenDictionary(s => s.Name);

    /// <summary>The service steering exactly <paramref name="name"/> (no wildcards).</summary>
    public bool TryGetService(DnsName name, out ServicePolicy service) =>
        _byName.TryGetValue(name, out service!);
}
