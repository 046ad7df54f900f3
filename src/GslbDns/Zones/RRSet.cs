using GslbDns.Writing;
using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>One record's RDATA in wire form plus where its compressible names sit.</summary>
public readonly record struct Rdata(byte[] Bytes, RdataNames Names);

/// <summary>An RRset as it will be written: all wire data prepared at load time.</summary>
public sealed class RRSet
{
    public RRSet(RecordType type, uint ttl, Rdata[] records)
    {
        Type = type;
        Ttl = ttl;
        Records = records;
    }

    public RecordType Type { get; }

    public uint Ttl { get; }

    public Rdata[] Records { get; }

    /// <summary>
    /// In-zone address records for the names this RRset points at (NS, MX, SRV targets),
    /// resolved at load so additional-section processing (RFC 1034 §4.3.2 step 6) is a copy.
    /// </summary>
    public OwnedRRSet[] Additional { get; internal set; } = [];
}

/// <summary>An RRset with the owner name it is written under.</summary>
public readonly record struct OwnedRRSet(DnsName Owner, RRSet Set);
