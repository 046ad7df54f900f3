using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// An immutable zone prepared for answering: every name (and every empty non-terminal) in one
/// dictionary that can be probed with a span, delegation and wildcard links resolved at load.
/// </summary>
public sealed class CompiledZone
{
    private readonly Dictionary<DnsName, ZoneNode> _nodes;
    private readonly Dictionary<DnsName, ZoneNode>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    private readonly WireLengthSet _lengths;

    internal CompiledZone(DnsName origin, Dictionary<DnsName, ZoneNode> nodes, RRSet soa, uint serial, int recordCount, string source)
    {
        Origin = origin;
        _nodes = nodes;
        _lookup = nodes.GetAlternateLookup<ReadOnlySpan<byte>>();
        _lengths = new WireLengthSet(nodes.Keys);
        Apex = nodes[origin];
        Soa = soa;
        Serial = serial;
        RecordCount = recordCount;
        Source = source;
        NegativeSoa = BuildNegativeSoa(soa);
    }

    public DnsName Origin { get; }

    public ZoneNode Apex { get; }

    public RRSet Soa { get; }

    /// <summary>The SOA as it goes into negative answers: RFC 2308 §3, TTL = min(SOA TTL, SOA MINIMUM).</summary>
    public RRSet NegativeSoa { get; }

    public uint Serial { get; }

    public int RecordCount { get; }

    public int NodeCount => _nodes.Count;

    /// <summary>The file the zone was read from.</summary>
    public string Source { get; }

    /// <summary>The node of a name; a name no node is as long as is not hashed (most nonexistent names, in a small zone).</summary>
    public ZoneNode? Find(ReadOnlySpan<byte> lowerCaseWireName) =>
        _lengths.Contains(lowerCaseWireName.Length) && _lookup.TryGetValue(lowerCaseWireName, out var node) ? node : null;

    public ZoneNode? Find(DnsName name) => _nodes.GetValueOrDefault(name);

    public IEnumerable<ZoneNode> Nodes => _nodes.Values;

    private static RRSet BuildNegativeSoa(RRSet soa)
    {
        var rdata = soa.Records[0].Bytes;
        uint minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rdata[^4..]);
        return new RRSet(RecordType.SOA, Math.Min(soa.Ttl, minimum), soa.Records.ToArray());
    }
}
