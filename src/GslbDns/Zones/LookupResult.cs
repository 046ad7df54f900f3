using System.Runtime.CompilerServices;
using GslbDns.Protocol;

namespace GslbDns.Zones;

public enum LookupKind : byte
{
    /// <summary>Records in the answer section (possibly a CNAME chain ending anywhere but a referral).</summary>
    Answer,
    /// <summary>The name exists, the type does not (RFC 2308 §2.2): SOA in authority.</summary>
    NoData,
    /// <summary>The name does not exist (RFC 2308 §2.1): NXDOMAIN, SOA in authority.</summary>
    NameError,
    /// <summary>The name lies at or below a delegation: NS in authority, glue in additional, AA clear.</summary>
    Referral,
}

/// <summary>
/// What the zone says about a query, before any message is built. Held by value: the answer
/// chain lives in inline arrays so a look-up allocates nothing.
/// </summary>
public struct LookupResult
{
    public const int MaxChain = 16;

    public LookupKind Kind;
    public CompiledZone Zone;

    /// <summary>Number of entries in the answer chain.</summary>
    public int Count;
    public OwnerChain Owners;
    public SetChain Sets;

    /// <summary>For <see cref="LookupKind.Referral"/> (or a CNAME chain that ends in one): the delegation node.</summary>
    public ZoneNode? Delegation;

    /// <summary>When set, no answer-section record is written with a TTL above <see cref="TtlCap"/> (ttl-unhealthy).</summary>
    public bool HasTtlCap;
    public uint TtlCap;

    /// <summary>
    /// Drops what the last query left, so a reused result holds no zone alive after a reload: only
    /// the entries that query used are cleared.
    /// </summary>
    public void Release()
    {
        for (int i = 0; i < Count; i++)
        {
            Owners[i] = null;
            Sets[i] = default;
        }
        Count = 0;
        Zone = null!;
        Delegation = null;
        HasTtlCap = false;
        TtlCap = 0;
        Kind = LookupKind.Answer;
    }

    public void Add(DnsName? owner, in RRSet set)
    {
        Owners[Count] = owner;
        Sets[Count] = set;
        Count++;
    }

    [InlineArray(MaxChain)]
    public struct OwnerChain
    {
        // null owner = the question name as the client wrote it
        private DnsName? _first;
    }

    [InlineArray(MaxChain)]
    public struct SetChain
    {
        private RRSet _first;
    }
}
