using System.Buffers.Binary;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Steering;

/// <summary>
/// Leaves out a region's addresses that health checks report down. The common case (nothing down)
/// returns the prepared RRset itself; only a degraded region pays for a filtered copy.
/// </summary>
public static class AddressFilter
{
    public static RRSet Apply(RRSet set, IRegionStateSource state, int service, int region)
    {
        if (set.Type is not (RecordType.A or RecordType.AAAA)) return set;
        int up = 0;
        foreach (var record in set.Records)
        {
            if (state.GetAddressHealth(service, region, AddressOf(record.Bytes)) != HealthStatus.Down) up++;
        }
        // All down: the region would not have been chosen unless the service failed open, and then
        // every address is as good as any.
        if (up == set.Records.Length || up == 0) return set;
        var kept = new Rdata[up];
        int i = 0;
        foreach (var record in set.Records)
        {
            if (state.GetAddressHealth(service, region, AddressOf(record.Bytes)) != HealthStatus.Down) kept[i++] = record;
        }
        return new RRSet(set.Type, set.Ttl, kept);
    }

    /// <summary>The address in an A or AAAA RDATA, IPv4 mapped into the IPv6 space like client addresses.</summary>
    public static UInt128 AddressOf(byte[] rdata) => (rdata.Length == 4
        ? ClientAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(rdata))
        : ClientAddress.FromIPv6(rdata)).Bits;
}
