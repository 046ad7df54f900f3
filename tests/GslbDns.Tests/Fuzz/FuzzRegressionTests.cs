using System.Net;
using GslbDns.Fuzz;
using GslbDns.Pipeline;
using GslbDns.RateLimiting;
using GslbDns.Steering;
using GslbDns.Tests.Geo;
using GslbDns.Zones;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Tests.Fuzz;

/// <summary>
/// Every input the fuzzer found a crash with (fuzz/crashes/TARGET/) and every seed runs through the
/// same target code again, in one process and in order as the fuzzer ran them; and the bugs they
/// showed have tests of their own below.
/// </summary>
public sealed class FuzzRegressionTests
{
    public static TheoryData<string> TargetsWithInputs() => new(["query-parser", "pipeline", "master-file", "policy", "geoip"]);

    [Theory]
    [MemberData(nameof(TargetsWithInputs))]
    public void FoundAndSeedInputs_RunWithoutAnEscapingException(string target)
    {
        var inputs = new[] { "crashes", "seeds" }
            .Select(kind => Path.Combine(GeoTestData.RepositoryRoot, "fuzz", kind, target))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            .ToArray();
        Assert.NotEmpty(inputs);
        foreach (var input in inputs)
        {
            var error = Record.Exception(() => Targets.Run(target, File.ReadAllBytes(input)));
            Assert.True(error is null, $"{Path.GetFileName(input)}: {error}");
        }
    }

    /// <summary>
    /// Found by the pipeline target: a rate-limited reply to a query whose question was never read
    /// (QDCOUNT 2, FORMERR) made the limiter's log line parse an empty name, and the exception left
    /// the pipeline.
    /// </summary>
    [Fact]
    public void RateLimitedReply_ToAQueryWithoutAQuestion_IsLimitedNotThrown()
    {
        var store = new ZoneStore();
        store.Publish(new ZoneSet([]));
        var rrl = new ResponseRateLimiter(new RrlOptions { ResponsesPerSecond = 1, Slip = 1 }, TimeProvider.System);
        var pipeline = new QueryPipeline(store, new SteeringStep(NullLogger<SteeringStep>.Instance), new QueryPipelineOptions(),
            NullLogger<QueryPipeline>.Instance, rrl: rrl);
        byte[] twoQuestions = [0x12, 0x34, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'w', (byte)'w', 0, 0, 1, 0, 1];
        var response = new byte[512];
        var context = new RequestContext(Transport.Udp, ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.9")));
        Assert.True(pipeline.Handle(twoQuestions, response, context) > 0); // FORMERR, within the limit
        int limited = pipeline.Handle(twoQuestions, response, context);   // over it: slipped (TC=1)
        Assert.True(limited > 0 && (response[2] & 0x02) != 0);
        Assert.Equal(1, response[3] & 0x0f);
    }
}
