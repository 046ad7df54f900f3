using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// The RFC 1034 §4.3.2 algorithm over one compiled zone, with RFC 4592 wildcards and
/// RFC 6604 CNAME-chain rcodes. Allocates nothing.
/// </summary>
public static class ZoneLookup
{
    public static void Lookup(CompiledZone zone, ReadOnlySpan<byte> qname, RecordType qtype, bool minimalAny, ref LookupResult result)
    {
        result.Zone = zone;
        result.Count = 0;
        result.Delegation = null;
        Walk(zone, qname, null, qname, qtype, minimalAny, ref result);
    }

    /// <summary>
    /// Goes on from a CNAME already in <paramref name="result"/> (a steered alias) to its in-zone
    /// target, exactly as a CNAME found in the zone is followed.
    /// </summary>
    public static void Continue(CompiledZone zone, ReadOnlySpan<byte> qname, DnsName target, RecordType qtype, bool minimalAny, ref LookupResult result)
    {
        result.Zone = zone;
        result.Kind = LookupKind.Answer;
        if (!target.IsAtOrBelow(zone.Origin)) return;
        Walk(zone, qname, target, target.Wire, qtype, minimalAny, ref result);
    }

    /// <summary>
    /// As <see cref="Continue"/>, from <paramref name="targetNode"/>, the node of <paramref name="target"/>
    /// in <paramref name="zone"/> found when the caller was compiled: a steered zone holds every
    /// region's target, so with a hundred regions to a service looking the target up again was a walk
    /// of a table too large for the caches on every CNAME answer.
    /// </summary>
    public static void ContinueAt(CompiledZone zone, ReadOnlySpan<byte> qname, DnsName target, ZoneNode targetNode, RecordType qtype,
        bool minimalAny, ref LookupResult result)
    {
        result.Zone = zone;
        result.Kind = LookupKind.Answer;
        Walk(zone, qname, target, target.Wire, qtype, minimalAny, ref result, targetNode);
    }

    private static void Walk(CompiledZone zone, ReadOnlySpan<byte> qname, DnsName? owner, ReadOnlySpan<byte> name,
        RecordType qtype, bool minimalAny, ref LookupResult result, ZoneNode? known = null)
    {
        while (true)
        {
            bool exact = true;
            var node = known ?? FindClosest(zone, name, out exact);
            known = null;
            if (node.Delegation is { } cut && !(exact && node.IsCut && qtype == RecordType.DS))
            {
                // At or below a cut: the parent side is not authoritative (RFC 1034 §4.3.2 step 3b).
                // A DS query at the cut itself is answered here: DS lives in the parent (RFC 4035 §3.1.4.1).
                result.Delegation = cut;
                result.Kind = result.Count == 0 ? LookupKind.Referral : LookupKind.Answer;
                return;
            }
            if (!exact)
            {
                if (node.Wildcard is not { } wildcard)
                {
                    result.Kind = LookupKind.NameError;
                    return;
                }
                // RFC 4592 §3.3.1: synthesize from "*.<closest encloser>" with the query name as owner.
                node = wildcard;
            }

            if (qtype == RecordType.ANY)
            {
                AddAny(node, owner, minimalAny, ref result);
                return;
            }
            if (node.TryFind(qtype, out var set))
            {
                result.Add(owner, set);
                result.Kind = LookupKind.Answer;
                return;
            }
            if (!node.TryGetCname(out var cname))
            {
                result.Kind = LookupKind.NoData;
                return;
            }
            result.Add(owner, cname);
            var target = node.CnameTarget.GetValueOrDefault();
            // Chase only inside this zone, and stop at loops or an over-long chain.
            if (!target.IsAtOrBelow(zone.Origin) || result.Count >= LookupResult.MaxChain
                || target.Wire.SequenceEqual(qname) || InChain(ref result, target))
            {
                result.Kind = LookupKind.Answer;
                return;
            }
            owner = target;
            name = target.Wire;
        }
    }

    private static bool InChain(ref LookupResult result, DnsName target)
    {
        for (int i = 0; i < result.Count; i++)
        {
            if (result.Owners[i] is { } owner && owner.Equals(target)) return true;
        }
        return false;
    }

    private static void AddAny(ZoneNode node, DnsName? owner, bool minimal, ref LookupResult result)
    {
        if (node.Sets.Length == 0)
        {
            result.Kind = LookupKind.NoData;
            return;
        }
        result.Kind = LookupKind.Answer;
        if (minimal)
        {
            result.Add(owner, node.Sets[0]);
            return;
        }
        foreach (var set in node.Sets)
        {
            if (result.Count >= LookupResult.MaxChain) break;
            result.Add(owner, set);
        }
    }

    /// <summary>The node for the name, or else its closest existing ancestor (the closest encloser).</summary>
    public static ZoneNode FindClosest(CompiledZone zone, ReadOnlySpan<byte> name, out bool exact)
    {
        exact = true;
        int pos = 0;
        while (true)
        {
            if (zone.Find(name[pos..]) is { } node) return node;
            exact = false;
            if (name[pos] == 0) return zone.Apex;
            pos += name[pos] + 1;
        }
    }
}
