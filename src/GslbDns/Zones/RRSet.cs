using GslbDns.Writing;
using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// One record's RDATA in wire form plus where its compressible names sit. The bytes are a slice of a
/// buffer that a compiled zone shares among its records (<see cref="ByteArena"/>).
/// </summary>
public readonly struct Rdata
{
    private readonly byte[] _buffer;
    private readonly int _offset;
    private readonly ushort _length;

    public Rdata(byte[] bytes, RdataNames names)
        : this(bytes, 0, bytes.Length, names)
    {
    }

    public Rdata(byte[] buffer, int offset, int length, RdataNames names)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ushort.MaxValue);
        _buffer = buffer;
        _offset = offset;
        _length = (ushort)length;
        Names = names;
    }

    public ReadOnlySpan<byte> Bytes => new(_buffer, _offset, _length);

    public RdataNames Names { get; }
}

/// <summary>An RRset as it will be written: all wire data prepared at load time.</summary>
public sealed class RRSet
{
    // A slice of an array that a compiled zone shares among all its RRsets (one array per zone,
    // not one per RRset).
    private readonly Rdata[] _records;
    private readonly int _start;
    private readonly int _count;

    public RRSet(RecordType type, uint ttl, Rdata[] records)
        : this(type, ttl, records, 0, records.Length)
    {
    }

    public RRSet(RecordType type, uint ttl, Rdata[] records, int start, int count)
    {
        Type = type;
        Ttl = ttl;
        _records = records;
        _start = start;
        _count = count;
    }

    public RecordType Type { get; }

    public uint Ttl { get; }

    public ReadOnlySpan<Rdata> Records => new(_records, _start, _count);

    /// <summary>
    /// In-zone address records for the names this RRset points at (NS, MX, SRV targets),
    /// resolved at load so additional-section processing (RFC 1034 §4.3.2 step 6) is a copy.
    /// </summary>
    public OwnedRRSet[] Additional { get; internal set; } = [];
}

/// <summary>An RRset with the owner name it is written under.</summary>
public readonly record struct OwnedRRSet(DnsName Owner, RRSet Set);
