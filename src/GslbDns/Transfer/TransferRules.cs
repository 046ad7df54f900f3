using System.Collections.Immutable;
using System.Net;
using GslbDns.Zones;

namespace GslbDns.Transfer;

/// <summary>
/// Who may transfer one zone and whom to NOTIFY, as <c>zones/transfer.yaml</c> says. Plain data:
/// what the file says, checked at load.
/// </summary>
/// <param name="Allow">Sources that may transfer; null when the key is omitted (any source with a listed key).</param>
/// <param name="Tsig">Names of keys that must sign the request; null when omitted (allowed sources need none).</param>
/// <param name="Notify">Secondaries sent a NOTIFY when the zone's serial changes.</param>
public sealed record ZoneTransferRule(
    DnsName Zone,
    ImmutableArray<IpPrefix>? Allow,
    ImmutableArray<DnsName>? Tsig,
    ImmutableArray<IPEndPoint> Notify,
    SourceLocation Source)
{
    /// <summary>
    /// The key NOTIFY messages are signed with: the first listed (RFC 1996 leaves signing to the
    /// operator). Should it have left the key file, the next listed key still in it signs.
    /// </summary>
    public DnsName? NotifyKey => Tsig is { Length: > 0 } keys ? keys[0] : null;
}

/// <summary>Every zone's transfer rule; a zone without one is not transferred to anyone.</summary>
public sealed class TransferRules
{
    public static readonly TransferRules None = new([]);

    private readonly Dictionary<DnsName, ZoneTransferRule> _rules;

    public TransferRules(IEnumerable<ZoneTransferRule> rules)
    {
        _rules = new Dictionary<DnsName, ZoneTransferRule>(WireComparer.Instance);
        foreach (var rule in rules) _rules[rule.Zone] = rule;
    }

    public IEnumerable<ZoneTransferRule> Rules => _rules.Values;

    public ZoneTransferRule? Find(DnsName zone) => _rules.GetValueOrDefault(zone);
}
