using System.Buffers.Binary;
using GslbDns.Configuration;
using GslbDns.Cookies;
using GslbDns.Metrics;
using GslbDns.Pipeline;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.State;
using GslbDns.Zones;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Bench.QueryPath;

/// <summary>
/// The shared bench scenario (../shared/bench): zone example.com without its www record, www steered
/// by continent (AS to ap, EU to eu, else us), the City test database. Loaded by the server's own
/// loader from a scratch folder, and the pipeline wired as the server wires it by default (metrics
/// tap, cookies on, no rate limiting).
/// </summary>
internal sealed class BenchServer : IDisposable
{
    private const string ZoneText = """
        $ORIGIN example.com.
        $TTL 300
        @       IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 300
        @       IN NS  ns1.example.com.
        @       IN NS  ns2.example.com.
        ns1     IN A   192.0.2.53
        ns2     IN A   192.0.2.54
        static  IN A   192.0.2.1
        ap.www  IN A   192.0.2.10
        eu.www  IN A   198.51.100.10
        us.www  IN A   203.0.113.10
        """;

    private const string PolicyText = """
        services:
          www:
            regions: { ap: { target: ap.www }, eu: { target: eu.www }, us: { target: us.www } }
            topology:
              - match: { continent: [AS] }
                prefer: [ap, us]
              - match: { continent: [EU] }
                prefer: [eu, us]
              - default: [us, eu]
        """;

    private readonly string _folder;
    private readonly GeoDatabaseSet _geo;

    public BenchServer()
    {
        _folder = Path.Combine(Path.GetTempPath(), "gslbdns-querypath-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "example.com.zone"), ZoneText);
        File.WriteAllText(Path.Combine(_folder, "example.com.gslb.yaml"), PolicyText);
        GeoPath = FindGeoDatabase();
        _geo = new GeoDatabaseSet([GeoDatabase.Open(GeoPath)]);
        Zones = new ZoneStore();
        var loader = new ZoneCatalogLoader(Zones, new RegionStateStore(), _folder, () => _geo, NullLogger<ZoneCatalogLoader>.Instance);
        loader.LoadInitial();
        Served = Zones.Current.FindZone(Name("www.example.com."))
            ?? throw new InvalidOperationException("example.com did not load");
        Www = Served.Steering!.FindService(Name("www.example.com."))
            ?? throw new InvalidOperationException("www.example.com is not steered");
        Steering = new SteeringStep(NullLogger<SteeringStep>.Instance);
        Pipeline = new QueryPipeline(Zones, Steering, new QueryPipelineOptions(), NullLogger<QueryPipeline>.Instance,
            [new QueryMetrics()], new ServerCookies(CookieSecrets.Random(), TimeProvider.System));
        BarePipeline = new QueryPipeline(Zones, Steering, new QueryPipelineOptions(), NullLogger<QueryPipeline>.Instance);
    }

    public string GeoPath { get; }

    public ZoneStore Zones { get; }

    public ServedZone Served { get; }

    public SteeringStep Steering { get; }

    /// <summary>As the server runs by default: metrics tap and cookies.</summary>
    public QueryPipeline Pipeline { get; }

    /// <summary>No taps, no cookies: the answer alone.</summary>
    public QueryPipeline BarePipeline { get; }

    public SteeredService Www { get; private set; } = null!;

    /// <summary>The dnsperf client as the server sees it: loopback, so unlocated.</summary>
    public static RequestContext Loopback { get; } = new(Transport.Udp, ClientAddress.FromIPv4(0x7f000001), 40000, ClientAddress.FromIPv4(0x7f000001), 53);

    /// <summary>The City test database next to the shared harness, else the repository's own.</summary>
    private static string FindGeoDatabase()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var shared = Path.Combine(dir.FullName, "shared", "geoip-test-data", "GeoIP2-City-Test.mmdb");
            if (File.Exists(shared)) return shared;
            var sibling = Path.Combine(dir.FullName, "..", "shared", "geoip-test-data", "GeoIP2-City-Test.mmdb");
            if (File.Exists(sibling)) return Path.GetFullPath(sibling);
            var own = Path.Combine(dir.FullName, "geoip");
            if (Directory.Exists(own) && File.Exists(Path.Combine(dir.FullName, "GslbDns.sln")))
            {
                var mmdb = Directory.GetFiles(own, "*.mmdb").OrderBy(p => p, StringComparer.Ordinal).FirstOrDefault();
                if (mmdb is not null) return mmdb;
            }
        }
        throw new FileNotFoundException("no GeoIP database: ../shared/geoip-test-data/GeoIP2-City-Test.mmdb nor geoip/*.mmdb");
    }

    public static byte[] Name(string name) => DnsName.Parse(name).Wire.ToArray();

    /// <summary>A query as dnsperf sends it: RD=1; with EDNS (payload 4096) when an option is given.</summary>
    public static byte[] Query(string name, RecordType type = RecordType.A, byte[]? ecs = null, byte[]? cookie = null, ushort id = 0x1234)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte)(ecs is null && cookie is null ? 0 : 1) };
        bytes.AddRange(Name(name));
        bytes.AddRange([(byte)((ushort)type >> 8), (byte)type, 0, 1]);
        if (ecs is null && cookie is null) return [.. bytes];
        var options = new List<byte>();
        if (ecs is not null)
        {
            options.AddRange([0, 8, 0, (byte)ecs.Length]);
            options.AddRange(ecs);
        }
        if (cookie is not null)
        {
            options.AddRange([0, 10, 0, (byte)cookie.Length]);
            options.AddRange(cookie);
        }
        bytes.AddRange([0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, (byte)(options.Count >> 8), (byte)options.Count]);
        bytes.AddRange(options);
        return [.. bytes];
    }

    /// <summary>An ECS option's data for an IPv4 /24.</summary>
    public static byte[] Ecs24(byte a, byte b, byte c) => [0, 1, 24, 0, a, b, c];

    /// <summary>
    /// Packets of the harness's random-ECS file (udp-mix-ecs-rand's load) when it has been generated,
    /// else the same kind of mix made here: 70 % www, 20 % static, 10 % NXDOMAIN, random IPv4 /24s.
    /// </summary>
    public static byte[][] RandomEcsQueries(int count)
    {
        var work = Environment.GetEnvironmentVariable("GSLB_BENCH_WORK") ?? "/tmp/gslb-bench";
        var file = Path.Combine(work, "queries", "generated", "mix-ecs-rand.bin");
        var packets = new List<byte[]>(count);
        if (File.Exists(file))
        {
            using var stream = File.OpenRead(file);
            Span<byte> prefix = stackalloc byte[2];
            while (packets.Count < count && stream.ReadAtLeast(prefix, 2, throwOnEndOfStream: false) == 2)
            {
                var packet = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                stream.ReadExactly(packet);
                packets.Add(packet);
            }
            if (packets.Count == count) return [.. packets];
            packets.Clear();
        }
        var random = new Random(7871);
        for (int i = 0; i < count; i++)
        {
            double r = random.NextDouble();
            string name = r < 0.7 ? "www.example.com." : r < 0.9 ? "static.example.com." : $"nx-{random.Next():x8}.example.com.";
            byte first;
            do first = (byte)random.Next(1, 224); while (first is 10 or 127);
            packets.Add(Query(name, ecs: Ecs24(first, (byte)random.Next(256), (byte)random.Next(256))));
        }
        return [.. packets];
    }

    public void Dispose()
    {
        _geo.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
