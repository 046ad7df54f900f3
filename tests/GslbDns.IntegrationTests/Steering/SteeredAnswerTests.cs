using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using static GslbDns.IntegrationTests.Infrastructure.Sections;

namespace GslbDns.IntegrationTests.Steering;

/// <summary>Steered answers over real UDP and TCP: region by client location, shape, scope, weights.</summary>
public sealed class SteeredAnswerTests : IClassFixture<SteeringServerFixture>
{
    private readonly TestServer _server;
    private readonly WireClient _client;

    public SteeredAnswerTests(SteeringServerFixture fixture)
    {
        _server = fixture.Server;
        _client = fixture.Server.Client;
    }

    [Theory]
    [InlineData("1.1.5.0/24", "ap", false)]
    [InlineData("1.2.0.0/24", "eu", false)]
    [InlineData("5.5.5.0/24", "us", false)]
    [InlineData("2a00:1000:5::/48", "eu", false)]
    [InlineData("2002:102::/40", "eu", false)]       // 6to4 of 1.2.0.0/24: located as that IPv4 network
    [InlineData("2001:0:101:500::/56", "ap", false)] // Teredo, as the database aliases it (bits 32..63)
    [InlineData("::1.1.5.0/120", "ap", false)]       // IPv4-compatible
    [InlineData("1.1.5.0/24", "ap", true)]
    [InlineData("1.2.0.0/24", "eu", true)]
    [InlineData("5.5.5.0/24", "us", true)]
    public async Task ClientsOfEachContinent_GetTheirRegion(string subnet, string region, bool tcp)
    {
        var (reply, _) = await Ecs.QueryAsync(_client, "www.example.com", RecordType.A, subnet, tcp);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.True(reply.IsAuthoritiveAnswer);
        var expected = region switch
        {
            "ap" => new[] { "www.example.com. 20 IN CNAME ap.www.example.com.", "ap.www.example.com. 60 IN A 203.0.113.10" },
            "eu" => ["www.example.com. 20 IN CNAME eu.www.example.com.", "eu.www.example.com. 60 IN A 198.51.100.10", "eu.www.example.com. 60 IN A 198.51.100.11"],
            _ => ["www.example.com. 20 IN CNAME us.www.example.com.", "us.www.example.com. 60 IN A 192.0.2.10"],
        };
        AssertSection(expected, Answer(reply));
    }

    [Theory]
    [InlineData("1.1.5.0/24", 16)]     // the database network: its neighbours answer differently
    [InlineData("1.1.5.7/32", 16)]
    [InlineData("7.7.7.0/24", 8)]      // unknown: the largest block clear of every located network
    [InlineData("2a00:1000:5::/48", 32)]
    [InlineData("2002:101:500::/40", 32)]           // 6to4 of 1.1.5.0/24: 16 + the IPv4 scope
    [InlineData("2001:0:101:500::/56", 48)]         // Teredo: 32 + 16
    [InlineData("::1.1.5.0/120", 112)]              // IPv4-compatible: 96 + 16
    [InlineData("0.0.0.0/0", 0)]       // RFC 7871 §7.1.2: no address, so nothing depended on it
    public async Task EcsScope_IsTheBroadestNetworkWithTheSameAnswer(string subnet, int scope)
    {
        var (reply, actual) = await Ecs.QueryAsync(_client, "www.example.com", RecordType.A, subnet);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal(scope, actual);
    }

    [Fact]
    public async Task EcsScope_IsZeroForNamesThatAreNotSteered()
    {
        var (reply, scope) = await Ecs.QueryAsync(_client, "ns1.example.com", RecordType.A, "1.1.5.0/24");
        Assert.Single(Answer(reply));
        Assert.Equal(0, scope);
    }

    [Fact]
    public async Task EcsSourceZero_FallsToTheDefaultRule()
    {
        var (reply, _) = await Ecs.QueryAsync(_client, "www.example.com", RecordType.A, "0.0.0.0/0");
        Assert.Equal("us", Ecs.Region(reply));
    }

    [Fact]
    public async Task AsnRule_PinsAnIspToARegion()
    {
        // 6.6/16 is Asian, but its ASN rule comes first and prefers ap alone.
        var (reply, scope) = await Ecs.QueryAsync(_client, "www.example.com", RecordType.A, "6.6.6.0/24");
        Assert.Equal("ap", Ecs.Region(reply));
        Assert.Equal(16, scope);
    }

    [Fact]
    public async Task SourceAddress_IsUsedWithoutEcs_CidrRulesMatchIt()
    {
        // 127.0.0.2 is pinned to eu by a CIDR rule; 127.0.0.1 is loopback, unknown, so the default.
        Assert.Equal("eu", Ecs.Region(await QueryFromAsync(IPAddress.Parse("127.0.0.2"))));
        Assert.Equal("us", Ecs.Region(await QueryFromAsync(IPAddress.Loopback)));
        var plain = await _client.QueryAsync(false, "www.example.com", RecordType.A);
        Assert.False(plain.IsEDnsEnabled);
    }

    private async Task<DnsMessage> QueryFromAsync(IPAddress source)
    {
        using var udp = new UdpClient(new IPEndPoint(source, 0));
        await udp.SendAsync(new QueryBuilder().Build("www.example.com", 1), _server.Endpoint);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return DnsMessage.Parse((await udp.ReceiveAsync(cts.Token)).Buffer);
    }

    [Fact]
    public async Task SameClientNetwork_GetsTheSameAnswerEveryTime()
    {
        var regions = new HashSet<string>();
        for (int host = 1; host < 40; host++)
        {
            var (reply, scope) = await Ecs.QueryAsync(_client, "split.example.com", RecordType.A, $"20.30.40.{host}/32");
            regions.Add(Ecs.Region(reply));
            // The split depends on the client's /24, and the scope says so.
            Assert.Equal(24, scope);
        }
        Assert.Single(regions);
    }

    [Fact]
    public async Task Weights_SplitClientNetworks_WithinTolerance()
    {
        int eu = 0, total = 1200;
        for (int i = 0; i < total; i++)
        {
            var (reply, _) = await Ecs.QueryAsync(_client, "split.example.com", RecordType.A, $"20.{i / 256}.{i % 256}.0/24");
            if (Ecs.Region(reply) == "eu") eu++;
        }
        // eu weight 100, us weight 50: two thirds of client networks go to eu.
        double share = (double)eu / total;
        Assert.InRange(share, 2.0 / 3 - 0.05, 2.0 / 3 + 0.05);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Apex_AnswersTheRegionsAddressesDirectly(bool tcp)
    {
        var (asia, _) = await Ecs.QueryAsync(_client, "example.com", RecordType.A, "1.1.5.0/24", tcp);
        Assert.Equal(["example.com. 20 IN A 203.0.113.10"], Answer(asia));
        var (america, _) = await Ecs.QueryAsync(_client, "example.com", RecordType.Aaaa, "5.5.5.0/24", tcp);
        Assert.Equal(["example.com. 20 IN AAAA 2001:db8::10"], Answer(america));
        // Other types at the apex still come from the zone.
        var soa = await _client.QueryAsync(tcp, "example.com", RecordType.Soa);
        Assert.Single(Answer(soa));
        Assert.Equal(RecordType.Soa, soa.AnswerRecords[0].RecordType);
    }

    [Fact]
    public async Task AddressMode_AnswersUnderTheAliasName_OtherTypesAreNoData()
    {
        var reply = await _client.QueryAsync(false, "addr.example.com", RecordType.A);
        AssertSection(["addr.example.com. 20 IN A 198.51.100.10", "addr.example.com. 20 IN A 198.51.100.11"], Answer(reply));
        var txt = await _client.QueryAsync(false, "addr.example.com", RecordType.Txt);
        Assert.Equal(ReturnCode.NoError, txt.ReturnCode);
        Assert.Empty(Answer(txt));
        Assert.Single(Authority(txt));
        // The eu region has no AAAA: NODATA rather than another region's addresses.
        var aaaa = await _client.QueryAsync(false, "addr.example.com", RecordType.Aaaa);
        Assert.Equal(ReturnCode.NoError, aaaa.ReturnCode);
        Assert.Empty(Answer(aaaa));
    }

    [Fact]
    public async Task CnameQuery_GetsTheAliasAlone()
    {
        var (reply, _) = await Ecs.QueryAsync(_client, "www.example.com", RecordType.CName, "1.2.0.0/24");
        Assert.Equal(["www.example.com. 20 IN CNAME eu.www.example.com."], Answer(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnyQuery_AtACnameService_GetsTheAliasAlone(bool tcp)
    {
        // RFC 1034 §4.3.2: the CNAME matches ANY and is not followed, as for a static CNAME.
        var (reply, _) = await Ecs.QueryAsync(_client, "www.example.com", RecordType.Any, "5.5.5.0/24", tcp);
        Assert.Equal(["www.example.com. 20 IN CNAME us.www.example.com."], Answer(reply));
    }

    [Fact]
    public async Task AnyQuery_AtTheApexOverTcp_GetsEveryRRset_WithTheRegionsAddresses()
    {
        var (reply, _) = await Ecs.QueryAsync(_client, "example.com", RecordType.Any, "5.5.5.0/24", tcp: true);
        AssertSection([
            "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 900 1209600 300",
            "example.com. 300 IN NS ns1.example.com.",
            "example.com. 300 IN TXT \"v=spf1 -all\"",
            "example.com. 20 IN A 192.0.2.10",
            "example.com. 20 IN AAAA 2001:db8::10",
        ], Answer(reply));
    }

    [Fact]
    public async Task AnyQuery_AtTheApexOverUdp_GetsOneRRset()
    {
        // RFC 8482 §4.2: one RRset is enough over UDP.
        var (reply, _) = await Ecs.QueryAsync(_client, "example.com", RecordType.Any, "5.5.5.0/24", tcp: false);
        Assert.Equal(["example.com. 20 IN A 192.0.2.10"], Answer(reply));
    }

    [Fact]
    public async Task TargetName_AskedDirectly_ReturnsItsAddresses()
    {
        var reply = await _client.QueryAsync(false, "eu.www.example.com", RecordType.A);
        AssertSection(["eu.www.example.com. 60 IN A 198.51.100.10", "eu.www.example.com. 60 IN A 198.51.100.11"], Answer(reply));
    }

    [Fact]
    public async Task QuestionCase_IsKeptOnSteeredAnswers()
    {
        var (reply, _) = await Ecs.QueryAsync(_client, "WWW.Example.COM", RecordType.A, "1.1.5.0/24");
        Assert.Equal("WWW.Example.COM. 20 IN CNAME ap.www.example.com.", Answer(reply)[0]);
    }
}
