using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Answering;

/// <summary>CH TXT id.server / hostname.bind / version.server / version.bind, and NSID (RFC 5001), over real UDP and TCP.</summary>
public class ServerIdentityTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        """;

    private static QueryBuilder Chaos => new() { QClass = 3 };

    private static string? Text(DnsMessage reply) =>
        reply.AnswerRecords.OfType<TxtRecord>().SingleOrDefault() is { } txt ? string.Concat(txt.TextParts) : null;

    [Fact]
    public async Task Defaults_IdIsTheHostName_VersionIsRefused_OtherChaosNamesAreRefused()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone);
        foreach (bool tcp in new[] { false, true })
        {
            foreach (var name in new[] { "id.server", "hostname.bind", "ID.SERVER" })
            {
                var reply = await server.Client.QueryAsync(tcp, name, RecordType.Txt, Chaos);
                Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
                Assert.True(reply.IsAuthoritiveAnswer);
                Assert.Equal(Environment.MachineName, Text(reply));
                Assert.Equal(RecordClass.Chaos, reply.AnswerRecords.Single().RecordClass);
                Assert.Equal(0, reply.AnswerRecords.Single().TimeToLive);
            }
            foreach (var name in new[] { "version.server", "version.bind", "authors.bind", "example.com" })
            {
                Assert.Equal(ReturnCode.Refused, (await server.Client.QueryAsync(tcp, name, RecordType.Txt, Chaos)).ReturnCode);
            }
        }
        // Another type at a known name: no data, not an error.
        var a = await server.Client.QueryAsync(false, "id.server", RecordType.A, Chaos);
        Assert.Equal(ReturnCode.NoError, a.ReturnCode);
        Assert.Empty(a.AnswerRecords);
    }

    [Fact]
    public async Task Configured_IdVersionAndNsid()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?>
        {
            ["Server:ServerId"] = "ns1.fra",
            ["Server:ServerVersion"] = "auto",
            ["Server:Nsid"] = "ns1.fra",
        });
        Assert.Equal("ns1.fra", Text(await server.Client.QueryAsync(false, "id.server", RecordType.Txt, Chaos)));
        Assert.Equal("GslbDns " + GslbDns.Metrics.GslbDnsMeter.Version, Text(await server.Client.QueryAsync(false, "version.bind", RecordType.Txt, Chaos)));

        var asked = await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, new QueryBuilder { EdnsPayload = 1232, Options = [(3, [])] });
        Assert.Equal("ns1.fra"u8.ToArray(), asked.EDnsOptions!.Options.OfType<NsIdOption>().Single().Payload);
        var notAsked = await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, new QueryBuilder { EdnsPayload = 1232 });
        Assert.Empty(notAsked.EDnsOptions!.Options.OfType<NsIdOption>());
    }

    [Fact]
    public async Task NoneTurnsIdOff_AndNsidIsOffByDefault()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:ServerId"] = "none" });
        Assert.Equal(ReturnCode.Refused, (await server.Client.QueryAsync(false, "id.server", RecordType.Txt, Chaos)).ReturnCode);
        var asked = await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, new QueryBuilder { EdnsPayload = 1232, Options = [(3, [])] });
        Assert.Empty(asked.EDnsOptions!.Options.OfType<NsIdOption>());
    }

    [Theory]
    [InlineData("hex:zz")]
    [InlineData("hex:")]
    public async Task BadNsid_StopsTheStart(string nsid)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:Nsid"] = nsid }));
        Assert.Contains("Nsid", error.Message, StringComparison.Ordinal);
    }
}
