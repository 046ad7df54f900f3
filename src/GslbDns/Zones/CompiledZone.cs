using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// An immutable zone prepared for answering: every name (and every empty non-terminal) in one
/// dictionary that can be probed with a span, delegation and wildcard links resolved at load.
/// </summary>
public sealed class CompiledZone
{
    private readonly NodeTable _nodes;
    private readonly WireLengthSet _lengths;

    internal CompiledZone(DnsName origin, NodeTable nodes, ZoneNode apex, RRSet soa, uint serial, int recordCount, string source)
    {
        Origin = origin;
        _nodes = nodes;
        _lengths = new WireLengthSet(nodes.Names);
        Apex = apex;
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
        _lengths.Contains(lowerCaseWireName.Length) ? _nodes.Find(lowerCaseWireName) : null;

    public ZoneNode? Find(DnsName name) => _nodes.Find(name);

    public IEnumerable<ZoneNode> Nodes => _nodes.Enumerate();

    private static RRSet BuildNegativeSoa(RRSet soa)
    {
        var rdata = soa.Records[0].Bytes;
        uint minimum = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rdata[^4..]);
        return new RRSet(RecordType.SOA, Math.Min(soa.Ttl, minimum), soa.Records.ToArray());
    }
}
