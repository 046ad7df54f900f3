using GslbDns.Health;
using GslbDns.Steering.State;
using GslbDns.Tests.Steering;

namespace GslbDns.Tests.Cluster;

public class AgreeRuleTests
{
    private static PeerVote[] Peers(params HealthStatus[] votes) => votes.Select((v, i) => new PeerVote($"p{i}", v)).ToArray();

    [Theory]
    [InlineData("any", 1, true)]
    [InlineData("quorum", 1, false)]
    [InlineData("quorum", 2, true)]
    [InlineData("all", 2, false)]
    [InlineData("all", 3, true)]
    [InlineData("fraction:0.34", 1, false)]
    [InlineData("fraction:0.33", 1, true)]
    [InlineData("fraction:0.5", 2, true)]
    public void OfThreeVoters_DownWhenTheRuleIsMet(string text, int down, bool expectDown)
    {
        Assert.True(AgreeRule.TryParse(text, out var rule));
        var votes = Enumerable.Range(0, 3).Select(i => i < down ? HealthStatus.Down : HealthStatus.Up).ToArray();
        var verdict = rule.Decide(votes[0], Peers(votes[1..]));
        Assert.Equal(expectDown ? HealthStatus.Down : HealthStatus.Up, verdict);
    }

    [Theory]
    [InlineData(HealthStatus.Down)]
    [InlineData(HealthStatus.Up)]
    [InlineData(HealthStatus.Unknown)]
    public void Alone_EveryRuleGivesTheOwnVerdict(HealthStatus own)
    {
        foreach (var text in new[] { "any", "all", "quorum", "fraction:0.9" })
        {
            Assert.True(AgreeRule.TryParse(text, out var rule));
            Assert.Equal(own, rule.Decide(own, []));
        }
    }

    [Fact]
    public void UnknownIsNoVote()
    {
        // Own unknown, one peer down of one voter: quorum is met.
        Assert.Equal(HealthStatus.Down, AgreeRule.Quorum.Decide(HealthStatus.Unknown, Peers(HealthStatus.Down, HealthStatus.Unknown)));
    }

    [Fact]
    public void PolicyKey_IsReadAndLayered_DefaultQuorum()
    {
        var document = PolicyText.ReadValid("""
            services:
              www:
                health: { check: tcp, port: 443, agree: fraction:0.34 }
                regions:
                  a: { target: a.www }
                  b: { target: b.www, health: { agree: all } }
                topology:
                  - default: [a, b]
              api:
                health: { check: tcp, port: 443 }
                regions:
                  us: { target: us.api }
                topology:
                  - default: [us]
            """);
        Assert.Equal("fraction:0.34", document.Services[0].Regions[0].Health.Agree.ToString());
        Assert.Equal(AgreeKind.All, document.Services[0].Regions[1].Health.Agree.Kind);
        Assert.Equal(AgreeRule.Quorum, document.Services[1].Regions[0].Health.Agree);
    }

    [Theory]
    [InlineData("majority")]
    [InlineData("fraction:0")]
    [InlineData("fraction:1.5")]
    public void BadAgree_IsReportedAtItsLine(string agree)
    {
        var (document, problems) = PolicyText.Read($$"""
            services:
              www:
                health: { check: tcp, port: 443, agree: "{{agree}}" }
                regions:
                  a: { target: a.www }
                topology:
                  - default: [a]
            """);
        Assert.Null(document);
        Assert.Equal([$"example.com.gslb.yaml:3: agree: '{agree}' is not any, all, quorum or fraction:F with F above 0 and at most 1 (such as fraction:0.34)"],
            problems.Select(p => p.ToString()));
    }
}
