using GslbDns.Writing;
using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Answering;

/// <summary>
/// Fills the answer, authority and additional sections from a <see cref="LookupResult"/>.
/// RRsets are written whole or not at all; when a required one does not fit, TC is set
/// (RFC 2181 §9) and the client retries over TCP.
/// </summary>
public static class ResponseBuilder
{

    /// <summary>Returns the RCODE; sets <paramref name="authoritative"/> and <paramref name="truncated"/>.</summary>
    public static ResponseCode Write(ref MessageWriter writer, ref LookupResult result, out bool authoritative, out bool truncated)
    {
        truncated = false;
        authoritative = result.Kind != LookupKind.Referral;
        var rcode = result.Kind == LookupKind.NameError ? ResponseCode.NXDomain : ResponseCode.NoError;

        uint cap = result.HasTtlCap ? result.TtlCap : uint.MaxValue;
        for (int i = 0; i < result.Count; i++)
        {
            if (!WriteSet(ref writer, Section.Answer, result.Owners[i], result.Sets[i], cap))
            {
                truncated = true;
                return rcode;
            }
        }

        switch (result.Kind)
        {
            case LookupKind.NoData:
            case LookupKind.NameError:
                if (!WriteSet(ref writer, Section.Authority, result.Zone.Origin, result.Zone.NegativeSoa))
                {
                    truncated = true;
                    return rcode;
                }
                break;
            case LookupKind.Referral:
            case LookupKind.Answer when result.Delegation is not null:
                var cut = result.Delegation.GetValueOrDefault();
                cut.TryFind(RecordType.NS, out var ns);
                if (!WriteSet(ref writer, Section.Authority, cut.Name, ns))
                {
                    truncated = true;
                    return rcode;
                }
                // RFC 9471 §3: glue for in-domain name servers must fit, or the reply is truncated.
                foreach (var glue in ns.Additional)
                {
                    if (!WriteSet(ref writer, Section.Additional, glue.Owner, glue.Set))
                    {
                        truncated = glue.Owner.IsAtOrBelow(cut.Name);
                        if (truncated) return rcode;
                    }
                }
                return rcode;
        }

        // Additional-section processing (RFC 1034 §4.3.2 step 6): optional, so whatever fits.
        for (int i = 0; i < result.Count; i++)
        {
            foreach (var extra in result.Sets[i].Additional)
            {
                if (!WriteSet(ref writer, Section.Additional, extra.Owner, extra.Set)) return rcode;
            }
        }
        return rcode;
    }

    private static bool WriteSet(ref MessageWriter writer, Section section, DnsName? owner, in RRSet set, uint ttlCap = uint.MaxValue)
    {
        var mark = writer.Save();
        var ownerWire = owner is { } name ? name.Wire : default;
        uint ttl = Math.Min(set.Ttl, ttlCap);
        foreach (var record in set.Records)
        {
            if (!writer.WriteRecord(section, ownerWire, set.Type, DnsWire.ClassIN, ttl, record.Bytes, record.Names))
            {
                writer.Restore(mark);
                return false;
            }
        }
        return true;
    }
}
