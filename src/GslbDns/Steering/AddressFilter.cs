using System.Buffers.Binary;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Steering;

/// <summary>
/// Leaves out a region's addresses that health checks report down. The filtered copies are built
/// with the state table (<see cref="Without"/>); a query only picks one (<see cref="Apply"/>).
/// </summary>
public static class AddressFilter
{
    /// <summary>The prepared filtered copy, as the state source holds it; allocation-free.</summary>
    public static RRSet Apply(in RRSet set, IRegionStateSource state, int service, int region) =>
        set.Type is RecordType.A or RecordType.AAAA ? state.Filter(service, region, set) : set;

    /// <summary>
    /// Builds the copy of <paramref name="set"/> without the addresses <paramref name="health"/> says are
    /// down; run when the state changes, never per query.
    /// </summary>
    public static RRSet Without(RRSet set, Func<UInt128, HealthStatus> health)
    {
        if (set.Type is not (RecordType.A or RecordType.AAAA)) return set;
        var kept = new List<Rdata>(set.Records.Length);
        foreach (var record in set.Records)
        {
            if (health(AddressOf(record.Bytes)) != HealthStatus.Down) kept.Add(record);
        }
        // All down: the region would not have been chosen unless the service failed open, and then
        // every address is as good as any.
        return kept.Count == set.Records.Length || kept.Count == 0 ? set : new RRSet(set.Type, set.Ttl, [.. kept]);
    }

    /// <summary>The address in an A or AAAA RDATA, IPv4 mapped into the IPv6 space like client addresses.</summary>
    public static UInt128 AddressOf(ReadOnlySpan<byte> rdata) => (rdata.Length == 4
        ? ClientAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(rdata))
        : ClientAddress.FromIPv6(rdata)).Bits;
}
