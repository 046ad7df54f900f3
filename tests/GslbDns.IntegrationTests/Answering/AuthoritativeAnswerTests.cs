using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using static GslbDns.IntegrationTests.Infrastructure.Sections;

namespace GslbDns.IntegrationTests.Answering;

/// <summary>Plain authoritative answers, each over real UDP and TCP.</summary>
public sealed class AuthoritativeAnswerTests : IClassFixture<AnsweringServerFixture>
{
    private readonly WireClient _client;

    public AuthoritativeAnswerTests(AnsweringServerFixture fixture)
    {
        _client = fixture.Server.Client;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Answer_SetsAaCopiesRdClearsRa(bool tcp)
    {
        var reply = await _client.QueryAsync(tcp, "www.example.com", RecordType.A);
        Assert.True(reply.IsQuery == false);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.True(reply.IsRecursionDesired);
        Assert.False(reply.IsRecursionAllowed);
        Assert.Equal(0x1234, reply.TransactionID);
        AssertSection(["www.example.com. 3600 IN A 192.0.2.1"], Answer(reply));
        Assert.Empty(Authority(reply));

        var noRd = await _client.QueryAsync(tcp, "www.example.com", RecordType.A, new QueryBuilder { RecursionDesired = false });
        Assert.False(noRd.IsRecursionDesired);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Question_EchoedWithClientCase_LookupIgnoresCase(bool tcp)
    {
        var reply = await _client.QueryAsync(tcp, "WwW.ExAmPlE.CoM", RecordType.A);
        Assert.Equal("WwW.ExAmPlE.CoM.", reply.Questions.Single().Name.ToString());
        AssertSection(["WwW.ExAmPlE.CoM. 3600 IN A 192.0.2.1"], Answer(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cname_ChainIsFollowedInsideTheZone(bool tcp)
    {
        var reply = await _client.QueryAsync(tcp, "chain1.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Equal(
            ["chain1.example.com. 3600 IN CNAME chain2.example.com.", "chain2.example.com. 3600 IN CNAME www.example.com.", "www.example.com. 3600 IN A 192.0.2.1"],
            Answer(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cname_StopsAtOutOfZoneTarget(bool tcp)
    {
        var reply = await _client.QueryAsync(tcp, "outside.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal(["outside.example.com. 3600 IN CNAME www.example.net."], Answer(reply));
        Assert.Empty(Authority(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cname_ToMissingName_IsNxdomainWithTheChain(bool tcp)
    {
        // RFC 6604 §3: the RCODE speaks of the last name in the chain.
        var reply = await _client.QueryAsync(tcp, "dangling.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, reply.ReturnCode);
        Assert.Equal(["dangling.example.com. 3600 IN CNAME missing.example.com."], Answer(reply));
        Assert.Equal(["example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2026112701 7200 900 1209600 300"], Authority(reply));
    }

    [Fact]
    public async Task Cname_LoopStopsWithoutRepeating()
    {
        var reply = await _client.QueryAsync(false, "loop1.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Equal(["loop1.example.com. 3600 IN CNAME loop2.example.com.", "loop2.example.com. 3600 IN CNAME loop1.example.com."], Answer(reply));
    }

    [Fact]
    public async Task Cname_QueriedForItselfIsNotChased()
    {
        var reply = await _client.QueryAsync(false, "alias.example.com", RecordType.CName);
        Assert.Equal(["alias.example.com. 3600 IN CNAME www.example.com."], Answer(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Wildcard_SynthesizesWithTheQueryNameAsOwner(bool tcp)
    {
        var reply = await _client.QueryAsync(tcp, "anything.wild.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Equal(["anything.wild.example.com. 3600 IN A 192.0.2.99"], Answer(reply));

        var deeper = await _client.QueryAsync(tcp, "x.y.wild.example.com", RecordType.Txt);
        Assert.Equal(["x.y.wild.example.com. 3600 IN TXT \"wild\""], Answer(deeper));
    }

    [Fact]
    public async Task Wildcard_MissingTypeIsNoData()
    {
        var reply = await _client.QueryAsync(false, "anything.wild.example.com", RecordType.Aaaa);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(Answer(reply));
        Assert.Single(Authority(reply));
    }

    [Fact]
    public async Task Wildcard_DoesNotMatchExistingNameOrBelowIt()
    {
        var exact = await _client.QueryAsync(false, "real.wild.example.com", RecordType.A);
        Assert.Equal(["real.wild.example.com. 3600 IN A 192.0.2.98"], Answer(exact));

        var exactOtherType = await _client.QueryAsync(false, "real.wild.example.com", RecordType.Txt);
        Assert.Equal(ReturnCode.NoError, exactOtherType.ReturnCode);
        Assert.Empty(Answer(exactOtherType));

        // RFC 4592 §2.2.1: the closest encloser of x.real.wild is real.wild, which has no "*" child.
        var below = await _client.QueryAsync(false, "x.real.wild.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, below.ReturnCode);
        Assert.Empty(Answer(below));
    }

    [Fact]
    public async Task Wildcard_DoesNotMatchEmptyNonTerminal()
    {
        // b.wild exists as an empty non-terminal (a.b.wild has data): NODATA, not the wildcard.
        var ent = await _client.QueryAsync(false, "b.wild.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, ent.ReturnCode);
        Assert.Empty(Answer(ent));
        Assert.Single(Authority(ent));

        var belowEnt = await _client.QueryAsync(false, "zz.b.wild.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, belowEnt.ReturnCode);
    }

    [Fact]
    public async Task Wildcard_CnameIsFollowed()
    {
        var reply = await _client.QueryAsync(false, "q.cw.example.com", RecordType.A);
        Assert.Equal(["q.cw.example.com. 3600 IN CNAME www.example.com.", "www.example.com. 3600 IN A 192.0.2.1"], Answer(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NoData_ForNameWithOtherTypes_HasSoaWithNegativeTtl(bool tcp)
    {
        var reply = await _client.QueryAsync(tcp, "host.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Empty(Answer(reply));
        Assert.Equal(["example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2026112701 7200 900 1209600 300"], Authority(reply));
    }

    [Fact]
    public async Task NoData_ForEmptyNonTerminal()
    {
        var reply = await _client.QueryAsync(false, "ent.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Empty(Answer(reply));
        Assert.Single(Authority(reply));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task NameError_HasSoaWithMinOfTtlAndMinimum(bool tcp)
    {
        var com = await _client.QueryAsync(tcp, "nope.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, com.ReturnCode);
        Assert.True(com.IsAuthoritiveAnswer);
        Assert.Empty(Answer(com));
        Assert.Equal(["example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2026112701 7200 900 1209600 300"], Authority(com));

        var org = await _client.QueryAsync(tcp, "nope.example.org", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, org.ReturnCode);
        Assert.Equal(["example.org. 60 IN SOA ns1.example.com. hostmaster.example.com. 7 7200 900 1209600 300"], Authority(org));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Delegation_IsAReferralWithGlue(bool tcp)
    {
        foreach (var name in new[] { "sub.example.com", "host.below.sub.example.com" })
        {
            var reply = await _client.QueryAsync(tcp, name, RecordType.A);
            Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
            Assert.False(reply.IsAuthoritiveAnswer);
            Assert.Empty(Answer(reply));
            AssertSection(["sub.example.com. 3600 IN NS ns.sub.example.com.", "sub.example.com. 3600 IN NS ns.example.net."], Authority(reply));
            Assert.Equal(["ns.sub.example.com. 3600 IN A 192.0.2.200"], Additional(reply));
        }
    }

    [Fact]
    public async Task Delegation_DsAtTheCutIsAnsweredByTheParent()
    {
        var reply = await _client.QueryAsync(false, "sub.example.com", RecordType.Ds);
        Assert.True(reply.IsAuthoritiveAnswer);
        Assert.Single(Answer(reply));
        Assert.Equal(RecordType.Ds, reply.AnswerRecords[0].RecordType);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Refused_ForNamesInNoZone(bool tcp)
    {
        var reply = await _client.QueryAsync(tcp, "www.example.net", RecordType.A);
        Assert.Equal(ReturnCode.Refused, reply.ReturnCode);
        Assert.False(reply.IsAuthoritiveAnswer);
        Assert.Empty(Answer(reply));
        Assert.Equal("www.example.net.", reply.Questions.Single().Name.ToString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Additional_HasAddressesOfNsMxAndSrvTargets(bool tcp)
    {
        var ns = await _client.QueryAsync(tcp, "example.com", RecordType.Ns);
        Assert.True(ns.IsAuthoritiveAnswer);
        AssertSection(["example.com. 3600 IN NS ns1.example.com.", "example.com. 3600 IN NS ns2.example.net."], Answer(ns));
        AssertSection(["ns1.example.com. 3600 IN A 192.0.2.53", "ns1.example.com. 3600 IN AAAA 2001:db8::53"], Additional(ns));

        var mx = await _client.QueryAsync(tcp, "example.com", RecordType.Mx);
        Assert.Equal(["example.com. 3600 IN MX 10 mail.example.com."], Answer(mx));
        Assert.Equal(["mail.example.com. 3600 IN A 192.0.2.25"], Additional(mx));

        var srv = await _client.QueryAsync(tcp, "_sip._tcp.example.com", RecordType.Srv);
        Assert.Equal(["_sip._tcp.example.com. 3600 IN SRV 10 60 5060 sip.example.com."], Answer(srv));
        Assert.Equal(["sip.example.com. 3600 IN A 192.0.2.60"], Additional(srv));
    }

    [Fact]
    public async Task Any_OverUdpIsMinimal_OverTcpIsWhole()
    {
        // RFC 8482 §4.2: one RRset is enough over UDP.
        var udp = await _client.QueryAsync(false, "example.com", RecordType.Any);
        Assert.Equal(ReturnCode.NoError, udp.ReturnCode);
        Assert.Single(udp.AnswerRecords.Select(r => r.RecordType).Distinct());

        var tcp = await _client.QueryAsync(true, "example.com", RecordType.Any);
        Assert.Equal(
            new[] { RecordType.Soa, RecordType.Ns, RecordType.Mx }.Order(),
            tcp.AnswerRecords.Select(r => r.RecordType).Distinct().Order());
    }

    [Fact]
    public async Task Soa_AtApexIsAnswered()
    {
        var reply = await _client.QueryAsync(false, "example.com", RecordType.Soa);
        Assert.Equal(["example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 2026112701 7200 900 1209600 300"], Answer(reply));
    }
}
