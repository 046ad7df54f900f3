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

/// <summary>
/// An RRset as it will be written: all wire data prepared at load time. A value: a compiled zone
/// keeps its RRsets in one array, so a million of them are one object for the collector, not a
/// million.
/// </summary>
public readonly struct RRSet
{
    // Slices of arrays that a compiled zone shares among all its RRsets (one array per zone, not
    // one per RRset).
    private readonly Rdata[] _records;
    private readonly OwnedRRSet[]? _additional;
    private readonly int _start;
    private readonly int _additionalStart;
    private readonly ushort _count;
    private readonly ushort _additionalCount;

    public RRSet(RecordType type, uint ttl, Rdata[] records)
        : this(type, ttl, records, 0, records.Length)
    {
    }

    public RRSet(RecordType type, uint ttl, Rdata[] records, int start, int count)
        : this(type, ttl, records, start, count, null, 0, 0)
    {
    }

    private RRSet(RecordType type, uint ttl, Rdata[] records, int start, int count,
        OwnedRRSet[]? additional, int additionalStart, int additionalCount)
    {
        // An RRset is at most 65,535 bytes of RDATA in a message (RFC 1035 §4.1.3), so far fewer records.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(additionalCount, ushort.MaxValue);
        Type = type;
        Ttl = ttl;
        _records = records;
        _start = start;
        _count = (ushort)count;
        _additional = additional;
        _additionalStart = additionalStart;
        _additionalCount = (ushort)additionalCount;
    }

    public RecordType Type { get; }

    public uint Ttl { get; }

    public ReadOnlySpan<Rdata> Records => new(_records, _start, _count);

    /// <summary>
    /// In-zone address records for the names this RRset points at (NS, MX, SRV targets),
    /// resolved at load so additional-section processing (RFC 1034 §4.3.2 step 6) is a copy.
    /// </summary>
    public ReadOnlySpan<OwnedRRSet> Additional => new(_additional, _additionalStart, _additionalCount);

    /// <summary>This RRset with its additional data: a slice of an array the zone shares.</summary>
    internal RRSet WithAdditional(OwnedRRSet[] additional, int start, int count) =>
        new(Type, Ttl, _records, _start, _count, additional, start, count);

    /// <summary>
    /// The same RRset: the same records of the same array. An identity, not an equality of contents;
    /// the state tables pair each prepared RRset with its filtered copy by it.
    /// </summary>
    public bool IsSame(in RRSet other) =>
        ReferenceEquals(_records, other._records) && _start == other._start && _count == other._count
        && Ttl == other.Ttl;
}

/// <summary>An RRset with the owner name it is written under.</summary>
public readonly record struct OwnedRRSet(DnsName Owner, RRSet Set);
