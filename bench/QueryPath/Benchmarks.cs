using BenchmarkDotNet.Attributes;
using GslbDns.Answering;
using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Steering;
using GslbDns.Steering.Choice;
using GslbDns.Steering.Policy;
using GslbDns.Writing;
using GslbDns.Zones;

namespace GslbDns.Bench.QueryPath;

// Each class is one step of the query path, in the order a query takes them. The inputs are the
// bench scenario's: www A without EDNS (udp-www), with ECS from Europe, Asia or anywhere
// (udp-mix-ecs-*), static A and a nonexistent name.

/// <summary>Parsing/QueryParser: header, question (lower-cased copy), OPT and its options.</summary>
[MemoryDiagnoser]
public class Parse
{
    private readonly byte[] _plain = BenchServer.Query("www.example.com.");
    private readonly byte[] _ecs = BenchServer.Query("www.example.com.", ecs: BenchServer.Ecs24(2, 2, 3));
    private readonly byte[] _cookie = BenchServer.Query("www.example.com.", ecs: BenchServer.Ecs24(2, 2, 3), cookie: [1, 2, 3, 4, 5, 6, 7, 8]);
    private DnsQuery _query;

    [Benchmark(Baseline = true)]
    public ParseOutcome Plain()
    {
        _query = default;
        return QueryParser.Parse(_plain, ref _query);
    }

    [Benchmark]
    public ParseOutcome WithEcs()
    {
        _query = default;
        return QueryParser.Parse(_ecs, ref _query);
    }

    [Benchmark]
    public ParseOutcome WithEcsAndCookie()
    {
        _query = default;
        return QueryParser.Parse(_cookie, ref _query);
    }
}

/// <summary>Zones: the served zone for the name, then the RFC 1034 look-up; and the steered name's whole steering step.</summary>
[MemoryDiagnoser]
public class Lookup : IDisposable
{
    private readonly BenchServer _server = new();
    private readonly byte[] _static = BenchServer.Name("static.example.com.");
    private readonly byte[] _missing = BenchServer.Name("nx-0123abcd.example.com.");
    private DnsQuery _www;
    private DnsQuery _wwwEu;
    private LookupResult _result;

    public Lookup()
    {
        QueryParser.Parse(BenchServer.Query("www.example.com."), ref _www);
        QueryParser.Parse(BenchServer.Query("www.example.com.", ecs: BenchServer.Ecs24(2, 2, 3)), ref _wwwEu);
    }

    [Benchmark(Baseline = true)]
    public LookupKind Static()
    {
        var zone = _server.Zones.Current.FindZone(_static)!;
        ZoneLookup.Lookup(zone.Zone, _static, RecordType.A, true, ref _result);
        return _result.Kind;
    }

    [Benchmark]
    public LookupKind NxDomain()
    {
        var zone = _server.Zones.Current.FindZone(_missing)!;
        ZoneLookup.Lookup(zone.Zone, _missing, RecordType.A, true, ref _result);
        return _result.Kind;
    }

    /// <summary>Zone, service, tree walk of the source address, choice, CNAME and its target's A.</summary>
    [Benchmark]
    public int SteeredWww()
    {
        var zone = _server.Zones.Current.FindZone(_www.QName)!;
        var steering = new SteeringResult();
        _server.Steering.TrySteer(zone, ref _www, BenchServer.Loopback, true, ref _result, ref steering, null);
        return steering.Region;
    }

    /// <summary>The same with an ECS subnet from Europe (a deeper walk, a scope to compute).</summary>
    [Benchmark]
    public int SteeredWwwEcsEu()
    {
        var zone = _server.Zones.Current.FindZone(_wwwEu.QName)!;
        var steering = new SteeringResult();
        _server.Steering.TrySteer(zone, ref _wwwEu, BenchServer.Loopback, true, ref _result, ref steering, null);
        return steering.Region;
    }

    public void Dispose() => _server.Dispose();
}

/// <summary>Steering/Geo/GeoTree: one walk of the compiled trie (City test database) per address.</summary>
[MemoryDiagnoser]
public class GeoWalk : IDisposable
{
    private const int Mask = 1023;
    private readonly BenchServer _server = new();
    private readonly ClientAddress[] _random = new ClientAddress[Mask + 1];
    private readonly ClientAddress _eu = ClientAddress.FromIPv4(0x02020300);      // 2.2.3.0, GB
    private readonly ClientAddress _asia = ClientAddress.FromIPv4(0xAF10C700);    // 175.16.199.0, CN
    private readonly ClientAddress _loopback = ClientAddress.FromIPv4(0x7f000001);
    private int _next;

    public GeoWalk()
    {
        var random = new Random(7871);
        for (int i = 0; i <= Mask; i++) _random[i] = ClientAddress.FromIPv4((uint)random.Next(0x01000000, unchecked((int)0xE0000000u) & int.MaxValue) & 0xffffff00);
    }

    [Benchmark(Baseline = true)]
    public int Loopback() => _server.Www.Tree.Lookup(_loopback, out _);

    [Benchmark]
    public int Europe() => _server.Www.Tree.Lookup(_eu, out _);

    [Benchmark]
    public int Asia() => _server.Www.Tree.Lookup(_asia, out _);

    [Benchmark]
    public int RandomIPv4() => _server.Www.Tree.Lookup(_random[_next++ & Mask], out _);

    public void Dispose() => _server.Dispose();
}

/// <summary>Steering/Choice/RegionChooser: the region for a leaf's ranking with every region up.</summary>
[MemoryDiagnoser]
public class Choice : IDisposable
{
    private readonly BenchServer _server = new();
    private readonly SteeredService _www;
    private readonly RegionRanking _europe;
    private readonly ulong _key = ClientNetworkKey.Of(ClientAddress.FromIPv4(0x02020300));

    public Choice()
    {
        _www = _server.Www;
        _europe = _www.Rankings[_www.Tree.Lookup(ClientAddress.FromIPv4(0x02020300), out _)];
    }

    [Benchmark]
    public int Europe() => RegionChooser.Choose(_www.Policy, _europe, _server.Served.Steering!.State, _key).Region;

    public void Dispose() => _server.Dispose();
}

/// <summary>Answering/ResponseBuilder + Writing/MessageWriter: header, question echo, sections, counts.</summary>
[MemoryDiagnoser]
public class Encode : IDisposable
{
    private readonly BenchServer _server = new();
    private readonly byte[] _response = new byte[65535];
    private readonly byte[] _wwwMessage = BenchServer.Query("www.example.com.");
    private readonly byte[] _missingMessage = BenchServer.Query("nx-0123abcd.example.com.");
    private DnsQuery _www;
    private DnsQuery _missing;
    private LookupResult _wwwResult;
    private LookupResult _missingResult;

    public Encode()
    {
        QueryParser.Parse(_wwwMessage, ref _www);
        QueryParser.Parse(_missingMessage, ref _missing);
        var steering = new SteeringResult();
        _server.Steering.TrySteer(_server.Served, ref _www, BenchServer.Loopback, true, ref _wwwResult, ref steering, null);
        ZoneLookup.Lookup(_server.Served.Zone, _missing.QName, RecordType.A, true, ref _missingResult);
    }

    /// <summary>www: CNAME us.www + its A (88 bytes with the question).</summary>
    [Benchmark(Baseline = true)]
    public int SteeredWww() => Write(_wwwMessage, ref _www, ref _wwwResult);

    /// <summary>NXDOMAIN: the SOA in the authority section, two names compressed.</summary>
    [Benchmark]
    public int NxDomain() => Write(_missingMessage, ref _missing, ref _missingResult);

    private int Write(byte[] message, ref DnsQuery query, ref LookupResult result)
    {
        var writer = new MessageWriter(_response, 512);
        writer.WriteHeader(query.Id, 0x8100);
        writer.WriteQuestion(message.AsSpan(DnsWire.HeaderLength, query.QuestionEnd - DnsWire.HeaderLength), query.QNameLength);
        ResponseBuilder.Write(ref writer, ref result, out _, out _);
        return writer.Finish();
    }

    public void Dispose() => _server.Dispose();
}

/// <summary>
/// Pipeline/QueryPipeline: bytes in, bytes out, as a receive thread calls it: the default server
/// (metrics tap, cookies) unless the name says Bare (no taps, no cookies).
/// </summary>
[MemoryDiagnoser]
public class Pipeline : IDisposable
{
    private const int Mask = 1023;
    private readonly BenchServer _server = new();
    private readonly byte[] _response = new byte[65535];
    private readonly byte[] _www = BenchServer.Query("www.example.com.");
    private readonly byte[] _wwwEu = BenchServer.Query("www.example.com.", ecs: BenchServer.Ecs24(2, 2, 3));
    private readonly byte[] _wwwAsia = BenchServer.Query("www.example.com.", ecs: BenchServer.Ecs24(175, 16, 199));
    private readonly byte[] _static = BenchServer.Query("static.example.com.");
    private readonly byte[] _missing = BenchServer.Query("nx-0123abcd.example.com.");
    private readonly byte[][] _random = BenchServer.RandomEcsQueries(Mask + 1);
    private int _next;

    /// <summary>udp-www: www A, no EDNS, from loopback (unlocated: us).</summary>
    [Benchmark(Baseline = true)]
    public int Www() => _server.Pipeline.Handle(_www, _response, BenchServer.Loopback);

    [Benchmark]
    public int WwwBare() => _server.BarePipeline.Handle(_www, _response, BenchServer.Loopback);

    [Benchmark]
    public int WwwEcsEurope() => _server.Pipeline.Handle(_wwwEu, _response, BenchServer.Loopback);

    [Benchmark]
    public int WwwEcsAsia() => _server.Pipeline.Handle(_wwwAsia, _response, BenchServer.Loopback);

    /// <summary>udp-mix-ecs-rand: the harness's packets in turn (70 % www, 20 % static, 10 % NXDOMAIN, each its own subnet).</summary>
    [Benchmark]
    public int MixEcsRandom() => _server.Pipeline.Handle(_random[_next++ & Mask], _response, BenchServer.Loopback);

    [Benchmark]
    public int Static() => _server.Pipeline.Handle(_static, _response, BenchServer.Loopback);

    [Benchmark]
    public int NxDomain() => _server.Pipeline.Handle(_missing, _response, BenchServer.Loopback);

    public void Dispose() => _server.Dispose();
}
