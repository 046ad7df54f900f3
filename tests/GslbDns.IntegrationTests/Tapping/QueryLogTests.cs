using System.Text.Json;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Steering;
using GslbDns.Tapping;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Tapping;

/// <summary>The query log of the real server on the sample zones, queried over real UDP and TCP.</summary>
public sealed class QueryLogTests : IDisposable
{
    private readonly string _folder = TempFolder.Create();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string LogPath => Path.Combine(_folder, "queries.log");

    private Task<TestServer> StartAsync(int sample = 1) => TestServer.StartAsync(TapSetup.SampleZones(), new Dictionary<string, string?>
    {
        ["Server:GeoIp:0"] = TapSetup.SampleGeoIp,
        ["Server:QueryLog"] = LogPath,
        ["Server:QueryLogSample"] = sample.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static QueryLogWriter Writer(TestServer server) => server.Services.GetRequiredService<QueryLogWriter>();

    private JsonElement[] Lines() =>
        File.ReadAllLines(LogPath).Select(line => JsonDocument.Parse(line).RootElement).ToArray();

    private static void AssertField(JsonElement line, string name, string? expected)
    {
        var value = line.GetProperty(name);
        if (expected is null) Assert.Equal(JsonValueKind.Null, value.ValueKind);
        else Assert.Equal(expected, value.GetString());
    }

    [Fact]
    public async Task EachQuery_IsOneJsonLine_FieldByField()
    {
        await using var server = await StartAsync();
        var before = DateTime.UtcNow;
        var steered = await TapSetup.UdpAsync(server.Endpoint, Ecs.For("198.51.100.0/24").Build("www.example.com", 1));
        var nxdomain = await TapSetup.TcpAsync(server.Endpoint, new QueryBuilder().Build("nope.example.com", 28));
        var plain = await TapSetup.UdpAsync(server.Endpoint, new QueryBuilder().Build("Static.Example.COM", 1));
        Assert.Equal(24, Ecs.ScopeOf(steered.Reply));
        await TapSetup.UntilAsync(() => Writer(server).Written == 3, "three lines written");
        var after = DateTime.UtcNow;

        var lines = Lines();
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line =>
        {
            Assert.Equal(
                ["time", "client", "port", "protocol", "ecs", "name", "type", "rcode", "region", "service", "reason", "scope", "latency_us"],
                line.EnumerateObject().Select(p => p.Name));
            var time = line.GetProperty("time").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", time);
            var at = DateTime.Parse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
            Assert.InRange(at, before.AddMilliseconds(-50), after.AddMilliseconds(50));
            AssertField(line, "client", "127.0.0.1");
            Assert.InRange(line.GetProperty("latency_us").GetInt64(), 0, 5_000_000);
        });

        var (first, second, third) = (lines[0], lines[1], lines[2]);
        Assert.Equal(steered.Port, first.GetProperty("port").GetInt32());
        AssertField(first, "protocol", "udp");
        AssertField(first, "ecs", "198.51.100.0/24");
        AssertField(first, "name", "www.example.com.");
        AssertField(first, "type", "A");
        AssertField(first, "rcode", "NOERROR");
        AssertField(first, "region", "eu");
        AssertField(first, "service", "www.example.com.");
        AssertField(first, "reason", "preferred");
        Assert.Equal(24, first.GetProperty("scope").GetInt32());

        Assert.Equal(nxdomain.Port, second.GetProperty("port").GetInt32());
        AssertField(second, "protocol", "tcp");
        AssertField(second, "ecs", null);
        AssertField(second, "name", "nope.example.com.");
        AssertField(second, "type", "AAAA");
        AssertField(second, "rcode", "NXDOMAIN");
        AssertField(second, "region", null);
        AssertField(second, "service", null);
        AssertField(second, "reason", null);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("scope").ValueKind);

        // The name as the pipeline folds it, whatever case the client wrote.
        Assert.Equal(plain.Port, third.GetProperty("port").GetInt32());
        AssertField(third, "name", "static.example.com.");
        AssertField(third, "rcode", "NOERROR");
        AssertField(third, "region", null);
        Assert.Equal(0, Writer(server).Dropped);
    }

    [Fact]
    public async Task Sample_OneInThree_LogsTenOfThirtyQueries()
    {
        await using var server = await StartAsync(sample: 3);
        for (int i = 0; i < 15; i++)
        {
            await server.Client.QueryAsync(false, "static.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
            await server.Client.QueryAsync(true, "www.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
        }
        await TapSetup.UntilAsync(() => Writer(server).Written == 10, "10 lines written");
        // Three more: the 31st is logged, the next two are not. Once the 31st is written, every
        // earlier record has been (the writer keeps their order), so the count is final.
        for (int i = 0; i < 3; i++) await server.Client.QueryAsync(false, "static.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
        await TapSetup.UntilAsync(() => Writer(server).Written == 11, "the 31st query written");
        Assert.Equal(11, Lines().Length);
        Assert.Equal(0, Writer(server).Dropped);
    }

    [Fact]
    public async Task ExistingFile_IsAppendedTo()
    {
        await File.WriteAllTextAsync(LogPath, "{\"earlier\":true}\n");
        await using (var server = await StartAsync())
        {
            await server.Client.QueryAsync(false, "static.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
            await TapSetup.UntilAsync(() => Writer(server).Written == 1, "one line written");
        }
        var lines = Lines();
        Assert.Equal(2, lines.Length);
        Assert.True(lines[0].GetProperty("earlier").GetBoolean());
        AssertField(lines[1], "name", "static.example.com.");
    }
}
