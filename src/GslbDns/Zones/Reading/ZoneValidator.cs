using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Checks that records form a servable zone: one SOA and NS records at the apex, CNAMEs alone, DS only
/// at delegations, nothing but NS, DS and glue at or under a delegation, in-zone name servers with
/// addresses, owners inside the zone, TTLs in range. Every problem is reported.
/// </summary>
public static class ZoneValidator
{
    /// <param name="zoneFile">File named by problems that concern the whole zone (line 0); defaults to the first record's file.</param>
    /// <param name="complete">
    /// False when some entries of the file could not be read: then only the checks that records
    /// present can fail run (CNAME conflicts, SOA placement, TTLs); those that a missing record
    /// could fail (no SOA or NS, glue, DS without a delegation) are skipped.
    /// </param>
    /// <param name="normalized">True when <paramref name="records"/> already went through <see cref="RRsetNormalizer"/>.</param>
    public static IReadOnlyList<ZoneProblem> Validate(DnsName origin, IReadOnlyList<ZoneRecord> records, string? zoneFile = null, bool complete = true,
        bool normalized = false)
    {
        OwnerGroups? owners = null;
        var unique = normalized ? records : RRsetNormalizer.Normalize(records, out owners);
        return Validate(origin, unique, zoneFile, ref owners, complete);
    }

    /// <summary>
    /// Validates normalised records. <paramref name="owners"/>, when given, is their grouping by
    /// owner (<see cref="RRsetNormalizer"/> makes it); on return it is the grouping the checks used,
    /// for <see cref="ZoneCompiler"/> to reuse, or null when records outside the zone were left out.
    /// </summary>
    public static IReadOnlyList<ZoneProblem> Validate(DnsName origin, IReadOnlyList<ZoneRecord> unique, string? zoneFile, ref OwnerGroups? owners,
        bool complete = true)
    {
        var problems = new List<ZoneProblem>();
        var zoneLocation = new SourceLocation(zoneFile ?? (unique.Count > 0 ? unique[0].Source.File : ""), 0);

        // Records outside the zone are left out of the checks below; the copy is made only when there are any.
        List<ZoneRecord>? outsideLeftOut = null;
        var cuts = new HashSet<DnsName>(WireComparer.Instance);
        var nsTargets = new HashSet<DnsName>(WireComparer.Instance);
        var nsTargetLookup = nsTargets.GetAlternateLookup<ReadOnlySpan<byte>>();
        Span<byte> folded = stackalloc byte[DnsName.MaxWireLength];
        for (int r = 0; r < unique.Count; r++)
        {
            var record = unique[r];
            // Many NS records name the same few servers: a name is made only for a target not seen yet.
            if (record.Type == RecordType.NS && NameText.WireLength(record.Data.Span) is int length and > 0)
            {
                var target = folded[..length];
                record.Data.Span[..length].CopyTo(target);
                DnsName.FoldCase(target);
                nsTargetLookup.Add(target);
            }
            if (!record.Owner.IsAtOrBelow(origin))
            {
                problems.Add(new ZoneProblem(record.Source, $"owner '{record.Owner}' is outside the zone '{origin}'"));
                outsideLeftOut ??= [.. unique.Take(r)];
                continue;
            }
            if (record.Ttl > TtlText.MaxTtl)
            {
                problems.Add(new ZoneProblem(record.Source, $"TTL {record.Ttl} is over the maximum {TtlText.MaxTtl} (RFC 2181 §8)"));
            }
            outsideLeftOut?.Add(record);
            if (record.Type == RecordType.NS && record.Owner != origin) cuts.Add(record.Owner);
        }
        IReadOnlyList<ZoneRecord> inZone = outsideLeftOut ?? unique;

        var byOwner = owners is not null && ReferenceEquals(owners.Records, inZone) ? owners : OwnerGroups.Of(inZone);
        owners = ReferenceEquals(byOwner.Records, unique) ? byOwner : null;
        CheckApex(origin, byOwner, zoneLocation, complete, problems);
        var cutLookup = cuts.GetAlternateLookup<ReadOnlySpan<byte>>();
        var list = new List<ZoneRecord>();
        for (int id = 0; id < byOwner.Count; id++)
        {
            var owner = byOwner.Owner(id);
            bool ordinary = true;
            foreach (int i in byOwner[id])
            {
                if (inZone[i].Type is RecordType.SOA or RecordType.CNAME or RecordType.DS) ordinary = false;
            }
            bool delegationChecks = complete && (!ordinary || cuts.Count > 0
                && (cuts.Contains(owner) || EnclosingCut(origin, owner, cutLookup, includeSelf: false) is not null));
            if (ordinary && !delegationChecks) continue;
            byOwner.CopyTo(id, list);
            // Most names hold neither SOA, CNAME nor DS and sit under no cut: nothing below can fail for them.
            if (!ordinary)
            {
                CheckSoaPlacement(origin, owner, list, problems);
                CheckCname(origin, owner, list, problems);
            }
            if (delegationChecks)
            {
                CheckDelegationData(origin, owner, list, cutLookup, nsTargets, problems);
            }
        }
        if (complete) CheckNameServerAddresses(origin, unique, byOwner, cutLookup, problems);
        return problems;
    }

    private static void CheckApex(DnsName origin, OwnerGroups byOwner, SourceLocation zoneLocation,
        bool complete, List<ZoneProblem> problems)
    {
        List<ZoneRecord>? apex = null;
        if (byOwner.TryFind(origin, out int id)) byOwner.CopyTo(id, apex = []);
        var soas = apex?.Where(r => r.Type == RecordType.SOA).ToList() ?? [];
        if (soas.Count == 0 && complete)
        {
            problems.Add(new ZoneProblem(zoneLocation, $"no SOA record at the zone apex '{origin}'"));
        }
        foreach (var extra in soas.Skip(1))
        {
            problems.Add(new ZoneProblem(extra.Source, $"second SOA record at '{origin}'; a zone has exactly one (RFC 1035 §5.2)"));
        }
        if (complete && (apex is null || !apex.Any(r => r.Type == RecordType.NS)))
        {
            var location = soas.Count > 0 ? soas[0].Source : zoneLocation;
            problems.Add(new ZoneProblem(location, $"no NS records at the zone apex '{origin}'"));
        }
        foreach (var ds in apex?.Where(r => r.Type == RecordType.DS) ?? [])
        {
            problems.Add(new ZoneProblem(ds.Source, $"DS at the zone apex '{origin}' belongs in the parent zone (RFC 4034 §5)"));
        }
    }

    private static void CheckSoaPlacement(DnsName origin, DnsName owner, List<ZoneRecord> list, List<ZoneProblem> problems)
    {
        if (owner == origin) return;
        // A loop, not Where: this runs for each alias of a zone that may hold a hundred thousand.
        foreach (var record in list)
        {
            if (record.Type != RecordType.SOA) continue;
            problems.Add(new ZoneProblem(record.Source, $"SOA record at '{owner}' is not at the zone apex '{origin}'"));
        }
    }

    /// <summary>RFC 1034 §3.6.2 and RFC 2181 §10.1: a CNAME is the only data at its name (DNSSEC's
    /// RRSIG and NSEC aside, RFC 4035 §2.5), there is at most one, and never at the apex.</summary>
    private static void CheckCname(DnsName origin, DnsName owner, List<ZoneRecord> list, List<ZoneProblem> problems)
    {
        if (!list.Exists(r => r.Type == RecordType.CNAME)) return;
        // The usual alias: one CNAME, alone at a name below the apex; nothing to report or build.
        if (owner != origin && list.Count == 1) return;
        var cnames = list.Where(r => r.Type == RecordType.CNAME).ToList();
        if (owner == origin)
        {
            problems.Add(new ZoneProblem(cnames[0].Source, $"CNAME at the zone apex '{owner}' (the apex must hold SOA and NS)"));
        }
        foreach (var extra in cnames.Skip(1))
        {
            problems.Add(new ZoneProblem(extra.Source, $"second CNAME at '{owner}'; a name has at most one (RFC 2181 §10.1)"));
        }
        if (owner == origin || list.TrueForAll(r => r.Type is RecordType.CNAME or RecordType.RRSIG or RecordType.NSEC)) return;
        var others = list
            .Where(r => r.Type is not (RecordType.CNAME or RecordType.RRSIG or RecordType.NSEC))
            .Select(r => RecordTypeNames.ToText(r.Type))
            .Distinct();
        problems.Add(new ZoneProblem(cnames[0].Source,
            $"CNAME at '{owner}' has other data beside it ({string.Join(", ", others)}); a CNAME must be alone at its name (RFC 1034 §3.6.2)"));
    }

    /// <summary>
    /// Data at a delegation point other than NS, DS and glue, and any data under one except glue, is
    /// occluded: the zone is not authoritative there (RFC 1034 §4.2.1), so it could never be served.
    /// </summary>
    private static void CheckDelegationData(DnsName origin, DnsName owner, List<ZoneRecord> list, HashSet<DnsName>.AlternateLookup<ReadOnlySpan<byte>> cuts,
        HashSet<DnsName> nsTargets, List<ZoneProblem> problems)
    {
        var enclosing = EnclosingCut(origin, owner, cuts, includeSelf: false);
        bool atCut = cuts.Contains(owner.Wire);
        bool isGlueName = nsTargets.Contains(owner);
        for (int i = 0; i < list.Count; i++)
        {
            // One pass per RRset, at its first record (a name holds a handful of records).
            var type = list[i].Type;
            if (SeenBefore(list, i)) continue;
            var first = list[i];
            if (enclosing is not null)
            {
                if (type is RecordType.A or RecordType.AAAA && isGlueName) continue;
                string why = type is RecordType.A or RecordType.AAAA ? " (no NS record names it, so it is not glue)" : "";
                problems.Add(new ZoneProblem(first.Source,
                    $"{RecordTypeNames.ToText(type)} at '{owner}' is below the delegation point '{enclosing}' and is occluded{why}; only glue address records belong there"));
                continue;
            }
            if (atCut)
            {
                if (type is RecordType.NS or RecordType.DS or RecordType.RRSIG or RecordType.NSEC or RecordType.CNAME) continue;
                if (type is RecordType.A or RecordType.AAAA && isGlueName) continue;
                problems.Add(new ZoneProblem(first.Source,
                    $"{RecordTypeNames.ToText(type)} at the delegation point '{owner}' is occluded by the delegation; only NS, DS and glue belong there"));
                continue;
            }
            if (type == RecordType.DS && owner != origin)
            {
                problems.Add(new ZoneProblem(first.Source,
                    $"DS at '{owner}', which is not a delegation point (no NS records there); DS belongs only at a delegation (RFC 4034 §5)"));
            }
        }
    }

    private static bool SeenBefore(List<ZoneRecord> list, int index)
    {
        for (int j = 0; j < index; j++)
        {
            if (list[j].Type == list[index].Type) return true;
        }
        return false;
    }

    /// <summary>
    /// A name server inside the zone needs an address record here: as glue when it lies at or below a
    /// delegation point (RFC 1034 §4.2.1), as ordinary data otherwise; it must not be an alias (RFC 2181 §10.3).
    /// </summary>
    private static void CheckNameServerAddresses(DnsName origin, IReadOnlyList<ZoneRecord> records, OwnerGroups byOwner,
        HashSet<DnsName>.AlternateLookup<ReadOnlySpan<byte>> cuts, List<ZoneProblem> problems)
    {
        var scratch = new List<ZoneRecord>();
        // Each target is read into this one buffer, valid until the next: a zone's NS records are
        // many (one set per delegation) and a name of each would be garbage in the middle of a reload.
        var targetBuffer = new byte[DnsName.MaxWireLength];
        foreach (var ns in records)
        {
            if (ns.Type != RecordType.NS || !ns.Owner.IsAtOrBelow(origin)) continue;
            // NS records under a delegation are occluded and reported as such; their targets do not matter.
            if (EnclosingCut(origin, ns.Owner, cuts, includeSelf: false) is not null) continue;
            int length = NameText.WireLength(ns.Data.Span);
            if (length <= 0) continue;
            ns.Data.Span[..length].CopyTo(targetBuffer);
            DnsName.FoldCase(targetBuffer.AsSpan(0, length));
            var target = DnsName.Over(targetBuffer, 0, length, DnsName.CountLabels(targetBuffer.AsSpan(0, length)));
            if (!target.IsAtOrBelow(origin)) continue;
            List<ZoneRecord>? data = null;
            if (byOwner.TryFind(target, out int id)) byOwner.CopyTo(id, data = scratch);
            if (data is not null && data.Any(r => r.Type == RecordType.CNAME))
            {
                problems.Add(new ZoneProblem(ns.Source, $"NS target '{target}' is an alias (CNAME); NS must name the server itself (RFC 2181 §10.3)"));
                continue;
            }
            if (data is not null && data.Any(r => r.Type is RecordType.A or RecordType.AAAA)) continue;
            var cut = EnclosingCut(origin, target, cuts, includeSelf: true);
            problems.Add(new ZoneProblem(ns.Source, cut is not null
                ? $"NS target '{target}' is at or below the delegation point '{cut}' and needs glue: add an A or AAAA record for it"
                : $"NS target '{target}' is inside the zone but has no A or AAAA record"));
        }
    }

    /// <summary>The nearest cut above (or at) <paramref name="name"/>, walking label by label without building the ancestors.</summary>
    private static DnsName? EnclosingCut(DnsName origin, DnsName name, HashSet<DnsName>.AlternateLookup<ReadOnlySpan<byte>> cuts, bool includeSelf)
    {
        var wire = name.Wire;
        int labels = name.LabelCount, pos = 0;
        if (!includeSelf && labels > 0)
        {
            pos += wire[0] + 1;
            labels--;
        }
        while (labels > origin.LabelCount)
        {
            if (cuts.TryGetValue(wire[pos..], out var cut)) return cut;
            pos += wire[pos] + 1;
            labels--;
        }
        return null;
    }
}
