using System.Net;
using System.Text;
using GslbDns.Configuration;
using GslbDns.Cookies;
using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Fuzz;

/// <summary>
/// What each target feeds its input to. A target lets through only the exceptions the code under
/// test promises for bad input; anything else escapes, and AFL++ records it as a crash. Nothing here
/// runs server code before the fuzzer has set up its coverage map: instrumented code that runs
/// earlier (a static initialiser, say) writes to a map that is not there yet.
/// </summary>
internal static class Targets
{
    private static DnsName Origin => OriginName.Value;

    private static readonly Lazy<DnsName> OriginName = new(() => DnsName.Parse("example.com."));

    public static void Run(string target, byte[] input)
    {
        switch (target)
        {
            case "query-parser": QueryParserTarget(input); break;
            case "pipeline": PipelineTarget(input); break;
            case "master-file": MasterFileTarget(input); break;
            case "policy": PolicyTarget(input); break;
            case "geoip": GeoIpTarget(input); break;
            default: throw new ArgumentException($"no target '{target}'");
        }
    }

    /// <summary>Bytes as a datagram: the parser returns an outcome and never throws.</summary>
    private static void QueryParserTarget(byte[] input)
    {
        var query = new DnsQuery();
        QueryParser.Parse(input, ref query);
    }

    private static readonly Lazy<QueryPipeline> Pipeline = new(BuildPipeline);

    /// <summary>
    /// Bytes in, bytes out through the whole query path with a steered zone, cookies and rate
    /// limiting; the reply must be a well-formed message that echoes the query's ID.
    /// </summary>
    private static void PipelineTarget(byte[] input)
    {
        var response = new byte[65535];
        var transport = input.Length > 0 && (input[^1] & 1) == 1 ? Transport.Tcp : Transport.Udp;
        var context = new RequestContext(transport, ClientAddress.FromIPAddress(IPAddress.Parse("198.51.100.7")), 40000);
        int length = Pipeline.Value.Handle(input, response, context);
        if (length == 0) return;
        if (length < DnsWire.HeaderLength || length > response.Length) throw new InvalidOperationException($"reply of {length} bytes");
        if (input.Length >= 2 && (response[0] != input[0] || response[1] != input[1])) throw new InvalidOperationException("reply ID differs");
        if ((response[2] & 0x80) == 0) throw new InvalidOperationException("reply without QR");
        if (transport == Transport.Udp && length > 65535) throw new InvalidOperationException("UDP reply too long");
    }

    /// <summary>
    /// Zone file text, read and checked the way the zones folder is: the reader and the validator
    /// report problems and never throw, and what they accept compiles.
    /// </summary>
    private static void MasterFileTarget(byte[] input)
    {
        var result = MasterFileReader.ReadText(Encoding.UTF8.GetString(input), "fuzz.zone", Origin);
        if (result.Problems.Count > 0 || result.Origin is not { } origin) return;
        if (ZoneValidator.Validate(origin, result.Records, "fuzz.zone").Count > 0) return;
        ZoneCompiler.Compile(origin, result.Records, "fuzz.zone");
    }

    private static readonly Lazy<CompiledZone> PolicyZone = new(() => Compile(SampleZone));

    /// <summary>Policy text against a real zone: problems, never exceptions; a valid one compiles.</summary>
    private static void PolicyTarget(byte[] input)
    {
        var (document, problems) = PolicyReader.ReadText(Encoding.UTF8.GetString(input), "fuzz.gslb.yaml", Origin, new CompiledZoneView(PolicyZone.Value));
        if (document is not null && problems.Count == 0) SteeringCompiler.Compile(document, PolicyZone.Value, GeoDatabaseSet.Empty, new RegionStateStore());
    }

    /// <summary>A GeoIP database file: GeoDatabaseException for anything unusable, and a usable one answers look-ups.</summary>
    private static void GeoIpTarget(byte[] input)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gslbdns-fuzz-{Environment.ProcessId}.mmdb");
        File.WriteAllBytes(path, input);
        try
        {
            using var database = GeoDatabase.Open(path, inMemory: true);
            database.Lookup(ClientAddress.FromIPAddress(IPAddress.Parse("81.2.69.160")));
            database.Lookup(ClientAddress.FromIPAddress(IPAddress.Parse("2001:220::1")));
            // Steering compiles its look-up tree from every network of the database.
            SteeringCompiler.Compile(SamplePolicyDocument.Value, PolicyZone.Value, new GeoDatabaseSet([database]), new RegionStateStore());
        }
        catch (GeoDatabaseException)
        {
        }
    }

    private const string SampleZone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        static  A     192.0.2.1
        alias   CNAME static
        *.wild  TXT   "wild"
        sub     NS    ns.sub
        ns.sub  A     192.0.2.200
        ap.www  A     203.0.113.10
        eu.www  A     198.51.100.10
        eu.www  AAAA  2001:db8::10
        us.www  A     192.0.2.10
        """;

    private const string SamplePolicy = """
        services:
          www:
            health: { check: tcp, port: 80 }
            load: { spill: capacity }
            regions:
              ap: { target: ap.www, location: [1.35, 103.8] }
              eu: { target: eu.www, capacity: 100 }
              us: { target: us.www }
            topology:
              - match: { cidr: [198.51.100.0/24] }
                prefer: [[eu, ap], us]
              - match: { continent: [EU] }
                prefer: [eu, us]
              - match: { country: [KR, JP] }
                prefer: [ap]
              - default: [us, eu]
        """;

    private static readonly Lazy<PolicyDocument> SamplePolicyDocument = new(() =>
        PolicyReader.ReadText(SamplePolicy, "example.com.gslb.yaml", Origin, new CompiledZoneView(PolicyZone.Value)).Document!);

    private static CompiledZone Compile(string text)
    {
        var read = MasterFileReader.ReadText(text, "example.com.zone", Origin);
        return ZoneCompiler.Compile(Origin, read.Records, "example.com.zone");
    }

    private static QueryPipeline BuildPipeline()
    {
        var zone = PolicyZone.Value;
        var (document, problems) = PolicyReader.ReadText(SamplePolicy, "example.com.gslb.yaml", Origin, new CompiledZoneView(zone));
        if (document is null || problems.Count > 0) throw new InvalidOperationException(string.Join('\n', problems));
        var state = new RegionStateStore();
        var steering = SteeringCompiler.Compile(document, zone, GeoDatabaseSet.Empty, state);
        var store = new ZoneStore();
        store.Publish(new ZoneSet([new ServedZone(zone, steering)]));
        return new QueryPipeline(store, new SteeringStep(NullLogger<SteeringStep>.Instance),
            new QueryPipelineOptions { ServerId = "fuzz", ServerVersion = "fuzz", Nsid = "fuzz"u8.ToArray() },
            NullLogger<QueryPipeline>.Instance, [new Metrics.QueryMetrics()],
            new ServerCookies(CookieSecrets.Random(), TimeProvider.System),
            new RateLimiting.ResponseRateLimiter(new RateLimiting.RrlOptions { ResponsesPerSecond = 5 }, TimeProvider.System));
    }
}
