using System.Net;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Tapping;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Tests.Pipeline;

/// <summary>
/// The query path reads a prepared snapshot and allocates nothing: plain answers, negative answers,
/// referrals and steered answers with ECS all run on the stack and on prepared RRsets.
/// </summary>
public sealed class QueryPipelineAllocationTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        static  A     192.0.2.1
        alias   CNAME static
        *.wild  A     192.0.2.2
        sub     NS    ns.sub
        ns.sub  A     192.0.2.200
        ap.www  A     203.0.113.10
        ap.www  A     203.0.113.11
        us.www  A     192.0.2.10
        us.www  A     192.0.2.11
        """;

    private const string Policy = """
        services:
          www:
            regions:
              ap: { target: ap.www }
              us: { target: us.www }
            topology:
              - match: { cidr: [198.51.100.0/24] }
                prefer: [ap]
              - default: [[us, ap]]
          "@":
            regions:
              us: { target: us.www }
            topology:
              - default: [us]
        """;

    /// <param name="degraded">One address of each region is down (health-checked), so answers are filtered and carry ttl-unhealthy.</param>
    /// <param name="loaded">Both regions report load and one sheds half its clients, spilled by spare capacity.</param>
    /// <param name="taps">Observers of every query (the metrics), which must allocate nothing either.</param>
    private static QueryPipeline BuildPipeline(bool degraded = false, bool loaded = false, IEnumerable<IQueryTap>? taps = null,
        GslbDns.Cookies.ServerCookies? cookies = null, GslbDns.RateLimiting.ResponseRateLimiter? rrl = null, GslbDns.Tsig.TsigKeyStore? tsigKeys = null)
    {
        var origin = DnsName.Parse("example.com.");
        var read = MasterFileReader.ReadText(Zone, "example.com.zone", origin);
        Assert.Empty(read.Problems);
        var zone = ZoneCompiler.Compile(origin, read.Records, "example.com.zone");
        var policy = degraded ? Policy.Replace("  www:\n", "  www:\n    health: { check: tcp, port: 80 }\n") : Policy;
        if (loaded) policy = policy.Replace("  www:\n", "  www:\n    load: { spill: capacity }\n");
        var (document, problems) = PolicyReader.ReadText(policy, "example.com.gslb.yaml", origin);
        Assert.Empty(problems);
        var state = new RegionStateStore();
        var steering = SteeringCompiler.Compile(document!, zone, GeoDatabaseSet.Empty, state);
        if (degraded)
        {
            var www = DnsName.Parse("www.example.com.");
            UInt128 Bits(string a) => AddressFilter.AddressOf(IPAddress.Parse(a).GetAddressBytes());
            state.SetHealth([(new AddressKey(www, "ap", Bits("203.0.113.11")), HealthStatus.Up), (new AddressKey(www, "us", Bits("192.0.2.11")), HealthStatus.Up)], TimeSpan.Zero);
            state.SetHealth([(new AddressKey(www, "ap", Bits("203.0.113.11")), HealthStatus.Down), (new AddressKey(www, "us", Bits("192.0.2.11")), HealthStatus.Down)], TimeSpan.FromMinutes(5));
            Assert.True(steering.State.IsDegraded(0));
        }
        if (loaded)
        {
            var www = DnsName.Parse("www.example.com.");
            state.SetLoad(new RegionKey(www, "us"), new LoadReport(0.875, 0.5, 100, 1000), TimeSpan.FromHours(1), "test");
            state.SetLoad(new RegionKey(www, "ap"), new LoadReport(0.3, null, null, null), TimeSpan.FromHours(1), "test");
            Assert.Equal(0.5, steering.State.GetRegion(0, 1).ShedShare, 9);
        }
        var store = new ZoneStore();
        store.Publish(new ZoneSet([new ServedZone(zone, steering)]));
        return new QueryPipeline(store, new SteeringStep(NullLogger<SteeringStep>.Instance), new QueryPipelineOptions(), NullLogger<QueryPipeline>.Instance, taps, cookies, rrl, tsigKeys);
    }

    private static byte[] Query(string name, ushort type, bool ecs)
    {
        var bytes = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte)(ecs ? 1 : 0) };
        bytes.AddRange(DnsName.Parse(name).Wire.ToArray());
        bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        if (ecs) bytes.AddRange([0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 11, 0, 8, 0, 7, 0, 1, 24, 0, 198, 51, 100]);
        return [.. bytes];
    }

    [Theory]
    [InlineData("static.example.com.", 1, false, false, 1)]
    [InlineData("www.example.com.", 1, true, false, 1)]
    [InlineData("www.example.com.", 1, true, true, 3)]
    [InlineData("nope.example.com.", 1, false, true, 1)]
    public void Handle_WithQueryLogAndDnstap_AllocatesNothingPerQuery(string name, ushort type, bool ecs, bool tcp, int sample)
    {
        // The real taps with their writer threads running (writing to /dev/null), so slots are
        // claimed, filled and published as in the server: a queue left full would only measure drops.
        var logQueue = new TapQueue<QueryLogRecord>(TappingServiceCollectionExtensions.QueueCapacity, QueryLogTap.PayloadBytes);
        var dnstapQueue = new TapQueue<DnstapRecord>(TappingServiceCollectionExtensions.DnstapQueueCapacity, DnstapTap.PayloadBytes);
        using var log = new QueryLogWriter(logQueue, new QueryLogFile("null", () => Stream.Null), sample, TimeProvider.System, NullLogger<QueryLogWriter>.Instance);
        using var dnstap = new DnstapWriter(dnstapQueue, new FrameStreamFile("/dev/null", FrameStreamControl.DnstapContentType),
            new DnstapEncoder("test", "test"), TimeProvider.System, NullLogger<DnstapWriter>.Instance);
        log.Start();
        dnstap.Start();
        var pipeline = BuildPipeline(taps: [new QueryLogTap(logQueue, sample), new DnstapTap(dnstapQueue)]);
        var query = Query(name, type, ecs);
        var response = new byte[65535];
        var context = new RequestContext(tcp ? Transport.Tcp : Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.77")), 53000);
        for (int i = 0; i < 100; i++) Assert.True(pipeline.Handle(query, response, context) > 12);
        Assert.Equal(0, FewestAllocated(pipeline, query, response, context));

        // The records did go through the taps, most of them written rather than dropped.
        log.Stop();
        dnstap.Stop();
        Assert.True(log.Written > 0 && dnstap.Written > 0, $"log {log.Written} written, dnstap {dnstap.Written} written");
    }

    [Theory]
    [InlineData("static.example.com.", 1, false)]
    [InlineData("nope.example.com.", 1, false)]
    [InlineData("alias.example.com.", 1, false)]
    [InlineData("x.wild.example.com.", 1, false)]
    [InlineData("ap.www.example.com.", 1, false)]
    [InlineData("x.sub.example.com.", 1, false)]
    [InlineData("www.example.com.", 1, false)]
    [InlineData("www.example.com.", 1, true)]
    [InlineData("www.example.net.", 1, false)]
    [InlineData("www.example.com.", 255, false, true)]
    [InlineData("example.com.", 255, false)]
    [InlineData("example.com.", 255, false, true)]
    [InlineData("www.example.com.", 1, false, false, true)]
    [InlineData("www.example.com.", 1, true, true, true)]
    [InlineData("ap.www.example.com.", 1, false, false, true)]
    [InlineData("www.example.com.", 1, false, false, false, true)]
    [InlineData("www.example.com.", 28, false, true, false, true)]
    public void Handle_AllocatesNothingPerQuery(string name, ushort type, bool ecs, bool tcp = false, bool degraded = false, bool loaded = false)
    {
        AssertNoAllocation(BuildPipeline(degraded, loaded), name, type, ecs, tcp, degraded);
    }

    [Theory]
    [InlineData("static.example.com.", 1, false)]
    [InlineData("nope.example.com.", 1, false)]
    [InlineData("www.example.com.", 1, true)]
    [InlineData("www.example.com.", 28, false, true)]
    [InlineData("www.example.net.", 1, false)]
    public void Handle_WithMetrics_AllocatesNothingPerQuery(string name, ushort type, bool ecs, bool tcp = false)
    {
        var metrics = new GslbDns.Metrics.QueryMetrics();
        AssertNoAllocation(BuildPipeline(taps: [metrics]), name, type, ecs, tcp, degraded: false);
        // The tap really ran on every query measured.
        Assert.True(metrics.Requests().Sum(r => r.Count) >= 1100);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Handle_WithCookies_AllocatesNothingPerQuery(bool serverCookie, bool tcp)
    {
        var cookies = new GslbDns.Cookies.ServerCookies(GslbDns.Cookies.CookieSecrets.Random(), TimeProvider.System);
        var pipeline = BuildPipeline(cookies: cookies);
        byte[] clientOnly = [1, 2, 3, 4, 5, 6, 7, 8];
        var query = WithCookie(Query("www.example.com.", 1, ecs: false), clientOnly);
        if (serverCookie)
        {
            // Send back the cookie the server gave: the path that verifies and echoes it.
            var first = new byte[512];
            int length = pipeline.Handle(query, first, new RequestContext(Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.77"))));
            query = WithCookie(Query("www.example.com.", 1, ecs: false), first.AsSpan(length - 24, 24).ToArray());
        }
        AssertNoAllocation(pipeline, query, tcp, degraded: false);
        var reply = new byte[512];
        int replied = pipeline.Handle(query, reply, new RequestContext(Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.77"))));
        var cookie = reply.AsSpan(replied - 24, 24);
        Assert.True(cookie[..8].SequenceEqual(clientOnly));
        // A valid server cookie is echoed as it came (the verifying path ran); a client cookie alone gets a new one.
        Assert.Equal(serverCookie, cookie.SequenceEqual(query.AsSpan(query.Length - 24)));
    }

    [Fact]
    public void Handle_WithCookies_AfterTheSecretsAreReplaced_ReKeysOnce_ThenAllocatesNothing()
    {
        var cookies = new GslbDns.Cookies.ServerCookies(GslbDns.Cookies.CookieSecrets.Random(), TimeProvider.System);
        var pipeline = BuildPipeline(cookies: cookies);
        var query = WithCookie(Query("www.example.com.", 1, ecs: false), [1, 2, 3, 4, 5, 6, 7, 8]);
        var response = new byte[512];
        var context = new RequestContext(Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.77")));
        Assert.Equal(0, FewestAllocated(pipeline, query, response, context));

        // A reload: the next query re-keys this thread's SipHash (and allocates for that), the rest do not.
        var next = GslbDns.Cookies.CookieSecrets.Of(Convert.FromHexString("445536bcd2513298075a5d379663c962"));
        cookies.Publish(next);
        int length = pipeline.Handle(query, response, context);
        var made = response.AsSpan(length - 16, 16).ToArray();
        var expected = new byte[16];
        uint stamp = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(made.AsSpan(4));
        new GslbDns.Cookies.ServerCookies(next, TimeProvider.System).Make([1, 2, 3, 4, 5, 6, 7, 8], context.Client, stamp, expected);
        Assert.Equal(expected, made); // made with the new secret
        Assert.Equal(0, FewestAllocated(pipeline, query, response, context));
    }

    [Theory]
    [InlineData("www.example.com.", 1)]
    [InlineData("nope.example.com.", 1)]
    [InlineData("www.example.net.", 1)]
    public void Handle_WithRateLimiting_AllocatesNothing_AlsoWhenLimitedAndSlipped(string name, ushort type)
    {
        // One response a second: after the first, every reply is dropped or rebuilt truncated.
        var rrl = new GslbDns.RateLimiting.ResponseRateLimiter(new GslbDns.RateLimiting.RrlOptions { ResponsesPerSecond = 1, Slip = 2 }, TimeProvider.System);
        var pipeline = BuildPipeline(rrl: rrl);
        var query = Query(name, type, ecs: false);
        var response = new byte[65535];
        var context = new RequestContext(Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.77")));
        int slipped = 0, dropped = 0;
        for (int i = 0; i < 100; i++)
        {
            int length = pipeline.Handle(query, response, context);
            if (length == 0) dropped++;
            else if ((response[2] & 0x02) != 0) slipped++;
        }
        Assert.InRange(slipped, 45, 55);
        Assert.InRange(dropped, 45, 55);
        Assert.Equal(0, FewestAllocated(pipeline, query, response, context));
    }

    [Theory]
    [InlineData("www.example.com.", false)]
    [InlineData("static.example.com.", true)]
    public void Handle_WithTsig_VerifiesAndSigns_AllocatingNothingPerQuery(string name, bool tcp)
    {
        var key = new GslbDns.Tsig.TsigKey(DnsName.Parse("transfer-key."), GslbDns.Tsig.TsigAlgorithm.HmacSha256, [1, 2, 3, 4, 5, 6, 7, 8]);
        var pipeline = BuildPipeline(tsigKeys: new GslbDns.Tsig.TsigKeyStore(new GslbDns.Tsig.TsigKeyring([key])));
        var unsigned = Query(name, 1, ecs: false);
        var query = new byte[unsigned.Length + GslbDns.Tsig.TsigSigner.RecordLength(key)];
        unsigned.CopyTo(query, 0);
        Span<byte> mac = stackalloc byte[64];
        int length = GslbDns.Tsig.TsigSigner.Sign(query, unsigned.Length, key, [], DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            GslbDns.Tsig.TsigError.NoError, [], false, mac);
        query = query[..length];

        AssertNoAllocation(pipeline, query, tcp, degraded: false);
        var reply = new byte[65535];
        int replied = pipeline.Handle(query, reply, new RequestContext(tcp ? Transport.Tcp : Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.77"))));
        // NOERROR, and the reply ends with our TSIG record (MAC of 32 bytes, error 0, no other data).
        Assert.Equal(0, reply[3] & 0x0f);
        Assert.Equal(1, (reply[10] << 8) | reply[11]);
        Assert.Equal([0, 0, 0, 0], reply.AsSpan(replied - 4, 4).ToArray());
    }

    /// <summary>The query with an OPT record holding one COOKIE option.</summary>
    private static byte[] WithCookie(byte[] query, byte[] cookie)
    {
        var bytes = new List<byte>(query);
        bytes[11] = 1;
        bytes.AddRange([0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, (byte)(4 + cookie.Length), 0, 10, 0, (byte)cookie.Length]);
        bytes.AddRange(cookie);
        return [.. bytes];
    }

    private static void AssertNoAllocation(QueryPipeline pipeline, string name, ushort type, bool ecs, bool tcp, bool degraded) =>
        AssertNoAllocation(pipeline, Query(name, type, ecs), tcp, degraded, name);

    private static void AssertNoAllocation(QueryPipeline pipeline, byte[] query, bool tcp, bool degraded, string name = "")
    {
        var response = new byte[65535];
        var context = new RequestContext(tcp ? Transport.Tcp : Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.77")));
        for (int i = 0; i < 100; i++) Assert.True(pipeline.Handle(query, response, context) > 12);
        if (degraded)
        {
            // The filtered answer really is the one measured: one address left of two (after the CNAME for www).
            int answers = (response[6] << 8) | response[7];
            Assert.Equal(name.StartsWith("www", StringComparison.Ordinal) ? 2 : 1, answers);
        }

        Assert.Equal(0, FewestAllocated(pipeline, query, response, context));
    }

    /// <summary>
    /// Bytes allocated by 1000 queries, the fewest of up to five rounds: the runtime itself may
    /// allocate once while it recompiles hot methods (tiered JIT); an allocation per query would
    /// show in every round.
    /// </summary>
    private static long FewestAllocated(QueryPipeline pipeline, byte[] query, byte[] response, RequestContext context)
    {
        long fewest = long.MaxValue;
        for (int round = 0; round < 5 && fewest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++) pipeline.Handle(query, response, context);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
