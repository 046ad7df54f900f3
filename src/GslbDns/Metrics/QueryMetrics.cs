using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.RateLimiting;

namespace GslbDns.Metrics;

/// <summary>
/// Counts every query as the pipeline saw it: requests by protocol, address family and type; responses
/// by protocol and rcode; malformed packets dropped; truncated replies; ECS queries; request and
/// response sizes. A tap on the query path: it only adds to striped cells (no lock, no allocation);
/// the metrics endpoint adds them up when scraped.
/// </summary>
public sealed class QueryMetrics : IQueryTap
{
    /// <summary>Types with a label of their own (CoreDNS counts the common ones the same way); the rest are <c>other</c>.</summary>
    public static readonly RecordType[] Types =
    [
        RecordType.A, RecordType.AAAA, RecordType.CNAME, RecordType.NS, RecordType.SOA, RecordType.MX, RecordType.TXT,
        RecordType.SRV, RecordType.PTR, RecordType.CAA, RecordType.NAPTR, RecordType.DS, RecordType.DNSKEY,
        RecordType.SVCB, RecordType.HTTPS, RecordType.ANY, RecordType.AXFR, RecordType.IXFR,
    ];

    public static readonly ResponseCode[] Rcodes =
    [
        ResponseCode.NoError, ResponseCode.FormErr, ResponseCode.ServFail, ResponseCode.NXDomain,
        ResponseCode.NotImp, ResponseCode.Refused, ResponseCode.BadVers, ResponseCode.BadCookie,
    ];

    /// <summary>Size buckets in bytes: CoreDNS's, so dashboards written for it read these too.</summary>
    public static readonly long[] SizeBounds = [0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16000, 32000, 48000, 64000];

    private const int Protocols = 2, Families = 2;
    private static readonly int TypeSlots = Types.Length + 1, RcodeSlots = Rcodes.Length + 1;
    private static readonly byte[] TypeIndex = BuildTypeIndex();

    /// <summary>What rate limiting did, as labels: the <see cref="RrlAction"/>s after <see cref="RrlAction.Sent"/>.</summary>
    public static readonly string[] RrlActions = ["dropped", "slipped", "badcookie", "would_limit"];

    private readonly int _responsesAt, _droppedAt, _truncatedAt, _ecsAt, _rrlAt;
    private readonly StripedCells _cells;

    public QueryMetrics()
    {
        _responsesAt = Protocols * Families * TypeSlots;
        _droppedAt = _responsesAt + Protocols * RcodeSlots;
        _truncatedAt = _droppedAt + Protocols;
        _ecsAt = _truncatedAt + Protocols;
        _rrlAt = _ecsAt + Protocols;
        _cells = new StripedCells(_rrlAt + RrlActions.Length);
        RequestSizes = new BucketHistogram(SizeBounds, Protocols);
        ResponseSizes = new BucketHistogram(SizeBounds, Protocols);
    }

    internal BucketHistogram RequestSizes { get; }

    internal BucketHistogram ResponseSizes { get; }

    /// <summary>Counts need no clock.</summary>
    public bool UsesTimestamps => false;

    public void Observe(in QueryOutcome outcome)
    {
        int proto = outcome.Transport == Transport.Tcp ? 1 : 0;
        // The stripe of every cell below, read once, not once per cell (a thread-static read each).
        int stripe = CounterStripe.Current;
        RequestSizes.Observe(proto, outcome.Query.Length, stripe);
        if (outcome.Parsed == ParseOutcome.Drop || (outcome.Response.IsEmpty && outcome.Rrl != RrlAction.Dropped))
        {
            _cells.Increment(_droppedAt + proto, stripe);
            return;
        }
        int family = outcome.Client.IsIPv4 ? 0 : 1;
        _cells.Increment((proto * Families + family) * TypeSlots + TypeSlot(outcome.QType), stripe);
        if (outcome.HasClientSubnet) _cells.Increment(_ecsAt + proto, stripe);
        if (outcome.Rrl != RrlAction.Sent) _cells.Increment(_rrlAt + (int)outcome.Rrl - 1, stripe);
        if (outcome.Response.IsEmpty) return;
        _cells.Increment(_responsesAt + proto * RcodeSlots + RcodeSlot(outcome.Rcode), stripe);
        if (outcome.Truncated) _cells.Increment(_truncatedAt + proto, stripe);
        ResponseSizes.Observe(proto, outcome.Response.Length, stripe);
    }

    public static string ProtocolLabel(int proto) => proto == 0 ? "udp" : "tcp";

    public static string FamilyLabel(int family) => family == 0 ? "ipv4" : "ipv6";

    public static string TypeLabel(int slot) => slot < Types.Length ? Types[slot].ToString() : "other";

    public static string RcodeLabel(int slot) => slot < Rcodes.Length ? Rcodes[slot].ToString().ToUpperInvariant() : "other";

    /// <summary>Requests answered, by protocol, family and type slot.</summary>
    public IEnumerable<(int Proto, int Family, int Type, long Count)> Requests()
    {
        for (int p = 0; p < Protocols; p++)
            for (int f = 0; f < Families; f++)
                for (int t = 0; t < TypeSlots; t++)
                    yield return (p, f, t, _cells.Read((p * Families + f) * TypeSlots + t));
    }

    public IEnumerable<(int Proto, int Rcode, long Count)> Responses()
    {
        for (int p = 0; p < Protocols; p++)
            for (int r = 0; r < RcodeSlots; r++)
                yield return (p, r, _cells.Read(_responsesAt + p * RcodeSlots + r));
    }

    public long Dropped(int proto) => _cells.Read(_droppedAt + proto);

    public long Truncated(int proto) => _cells.Read(_truncatedAt + proto);

    public long ClientSubnet(int proto) => _cells.Read(_ecsAt + proto);

    /// <summary>Replies rate limiting acted on, by index into <see cref="RrlActions"/>.</summary>
    public long RateLimited(int action) => _cells.Read(_rrlAt + action);

    private static int TypeSlot(RecordType type) => (ushort)type < TypeIndex.Length ? TypeIndex[(ushort)type] : Types.Length;

    private static int RcodeSlot(ResponseCode rcode)
    {
        for (int i = 0; i < Rcodes.Length; i++)
        {
            if (Rcodes[i] == rcode) return i;
        }
        return Rcodes.Length;
    }

    private static byte[] BuildTypeIndex()
    {
        var index = new byte[258];
        Array.Fill(index, (byte)Types.Length);
        for (int i = 0; i < Types.Length; i++) index[(ushort)Types[i]] = (byte)i;
        return index;
    }
}
