using GslbDns.Protocol;
using GslbDns.Pipeline;
using GslbDns.Steering.Policy;
using GslbDns.Steering.Topology;

namespace GslbDns.Tests.Steering;

public class TopologyClassifierTests
{
    // Region indexes in PolicyText.Full: ap = 0 (Singapore), eu = 1 (Frankfurt), us = 2 (Ashburn).
    private const int Ap = 0, Eu = 1, Us = 2;

    private static readonly GeoPoint Seoul = new(37.57, 126.98);
    private static readonly GeoPoint NewYork = new(40.71, -74.01);

    private static readonly TopologyClassifier Www = new(PolicyText.ReadValid(PolicyText.Full).Services[0]);

    private static ClientAddress V4(string text) => ClientAddress.FromIPAddress(System.Net.IPAddress.Parse(text));

    [Fact]
    public void FirstMatchingRule_Wins()
    {
        // In the operators' own block and in Asia: the CIDR rule comes first.
        var location = new ClientLocation("AS", "KR", null, null, 4766, Seoul);
        var outcome = Www.Classify(location, V4("198.51.100.7"));
        Assert.Equal(0, outcome.RuleIndex);
        Assert.Equal(RegionRanking.Sequence(Eu), outcome.Ranking);

        // Outside the block the ASN rule is next.
        outcome = Www.Classify(location, V4("203.0.113.7"));
        Assert.Equal(1, outcome.RuleIndex);
        Assert.Equal(RegionRanking.Sequence(Ap, Eu), outcome.Ranking);

        // Another network in Asia falls to the continent rule.
        outcome = Www.Classify(location with { Asn = 64500 }, V4("203.0.113.7"));
        Assert.Equal(2, outcome.RuleIndex);
        Assert.Equal(RegionRanking.FromRanks([[Ap], [Eu, Us]]), outcome.Ranking);
    }

    [Fact]
    public void Ipv6Cidr_Matches()
    {
        var inside = ClientAddress.FromIPAddress(System.Net.IPAddress.Parse("2001:db8:1:ff::1"));
        var outside = ClientAddress.FromIPAddress(System.Net.IPAddress.Parse("2001:db8:2::1"));
        Assert.Equal(0, Www.Classify(ClientLocation.Unknown, inside).RuleIndex);
        Assert.Equal(6, Www.Classify(ClientLocation.Unknown, outside).RuleIndex);
    }

    [Theory]
    [InlineData("CA")]
    [InlineData("US-CA")]
    [InlineData("us-ca")]
    public void Subdivision_MatchesWithOrWithoutCountryPrefix(string subdivision)
    {
        var location = new ClientLocation("NA", "US", subdivision, null, 0, NewYork);
        Assert.Equal(4, Www.Classify(location, V4("203.0.113.1")).RuleIndex);
    }

    [Fact]
    public void Subdivision_OfAnotherCountry_DoesNotMatch()
    {
        // "CA" is also a subdivision code elsewhere; the rule says US-CA.
        var location = new ClientLocation("SA", "BR", "CA", null, 0, null);
        Assert.NotEqual(4, Www.Classify(location, V4("203.0.113.1")).RuleIndex);
    }

    [Fact]
    public void KeysInOneMatch_MustAllHold()
    {
        var service = PolicyText.ReadValid(PolicyText.Service(
            "a: { target: a.www }\nb: { target: b.www }",
            "- match: { country: US, asn: 7922 }\n  prefer: [a]\n- default: [b]")).Services[0];
        var classifier = new TopologyClassifier(service);
        var address = V4("192.0.2.1");
        Assert.Equal(0, classifier.Classify(new ClientLocation("NA", "US", null, null, 7922, null), address).RuleIndex);
        Assert.Equal(1, classifier.Classify(new ClientLocation("NA", "US", null, null, 701, null), address).RuleIndex);
        Assert.Equal(1, classifier.Classify(new ClientLocation("EU", "GB", null, null, 7922, null), address).RuleIndex);
        Assert.Equal(1, classifier.Classify(new ClientLocation("NA", "US", null, null, 0, null), address).RuleIndex);
    }

    [Fact]
    public void Nearest_OrdersByGreatCircleDistance()
    {
        // Seoul with no continent known reaches the distance-ordered default: Singapore, Frankfurt, Ashburn.
        var outcome = Www.Classify(new ClientLocation(null, "KR", null, null, 0, Seoul), V4("203.0.113.1"));
        Assert.Equal(6, outcome.RuleIndex);
        Assert.Equal(RegionRanking.Sequence(Ap, Eu, Us), outcome.Ranking);
        Assert.False(outcome.LocationUnknown);

        // New York matches the distance-ordered North America rule: Ashburn, Frankfurt, Singapore.
        outcome = Www.Classify(new ClientLocation("NA", "US", "NY", null, 0, NewYork), V4("203.0.113.1"));
        Assert.Equal(5, outcome.RuleIndex);
        Assert.Equal(RegionRanking.Sequence(Us, Eu, Ap), outcome.Ranking);
    }

    [Fact]
    public void Nearest_WithoutLocation_FallsThroughToDefaultFallback()
    {
        var outcome = Www.Classify(new ClientLocation("NA", "US", null, null, 0, null), V4("203.0.113.1"));
        Assert.Equal(6, outcome.RuleIndex);
        Assert.True(outcome.LocationUnknown);
        Assert.Equal(RegionRanking.FromRanks([[Us], [Eu, Ap]]), outcome.Ranking);
    }

    [Fact]
    public void NearestDefault_WithoutFallback_SplitsAllRegions()
    {
        var service = PolicyText.ReadValid(PolicyText.Service(
            "a: { target: a.www, location: [0, 0] }\nb: { target: b.www, location: [10, 10] }",
            "- default: nearest")).Services[0];
        var outcome = new TopologyClassifier(service).Classify(ClientLocation.Unknown, V4("192.0.2.1"));
        Assert.Equal(RegionRanking.Single(0, 1), outcome.Ranking);
    }

    [Fact]
    public void ColocatedRegions_ShareARank()
    {
        var service = PolicyText.ReadValid(PolicyText.Service(
            "a: { target: a.www, location: [50.11, 8.68] }\nb: { target: b.www, location: [1.35, 103.82] }\nc: { target: c.www, location: [50.11, 8.68] }",
            "- default: nearest")).Services[0];
        var outcome = new TopologyClassifier(service).Classify(new ClientLocation(null, null, null, null, 0, new GeoPoint(48.86, 2.35)), V4("192.0.2.1"));
        Assert.Equal(RegionRanking.FromRanks([[0, 2], [1]]), outcome.Ranking);
    }

    [Fact]
    public void EqualOutcomes_CompareEqual()
    {
        var busan = new GeoPoint(35.18, 129.08);
        var seoul = Www.Classify(new ClientLocation(null, "KR", null, null, 0, Seoul), V4("203.0.113.1"));
        var busanOutcome = Www.Classify(new ClientLocation(null, "KR", null, null, 0, busan), V4("203.0.113.2"));
        var newYork = Www.Classify(new ClientLocation("NA", "US", null, null, 0, NewYork), V4("203.0.113.3"));
        var own = Www.Classify(ClientLocation.Unknown, V4("198.51.100.1"));
        var ownAgain = Www.Classify(new ClientLocation("EU", "DE", null, null, 0, null), V4("198.51.100.200"));

        Assert.Equal(seoul, busanOutcome);
        Assert.Equal(own, ownAgain);
        Assert.Equal(3, new[] { seoul, newYork, own }.Distinct().Count());
        Assert.Equal(RegionRanking.Sequence(Eu), own.Ranking);
        Assert.Equal(RegionRanking.Sequence(Us, Eu, Ap), newYork.Ranking);
    }

    [Fact]
    public void Cidrs_AreExposedInMappedKeySpace()
    {
        Assert.Equal<IpPrefix>(
        [
            new IpPrefix((UInt128)0x20010db8_00010000UL << 64, 48),
            new IpPrefix(ClientAddress.MappedPrefix | 0xC6336400u, 120),
        ], Www.Cidrs.OrderBy(c => c.IsIPv4));
        Assert.Equal("2001:db8:1::/48", Www.Cidrs.Single(c => !c.IsIPv4).ToString());
        Assert.True(Www.Cidrs.Single(c => c.IsIPv4).Contains(V4("198.51.100.255")));
        Assert.False(Www.Cidrs.Single(c => c.IsIPv4).Contains(V4("198.51.101.0")));
    }

    [Fact]
    public void ClassifyByRangeStart_TreatsMappedAddressesAsIPv4()
    {
        var outcome = Www.Classify(ClientLocation.Unknown, ClientAddress.MappedPrefix | 0xC6336410u);
        Assert.Equal(0, outcome.RuleIndex);
    }

    [Fact]
    public void Haversine_LondonToParis()
    {
        double km = GreatCircle.DistanceKm(new GeoPoint(51.5074, -0.1278), new GeoPoint(48.8566, 2.3522));
        Assert.InRange(km, 342, 345);
        Assert.Equal(0, GreatCircle.DistanceKm(Seoul, Seoul));
        Assert.InRange(GreatCircle.DistanceKm(new GeoPoint(0, 0), new GeoPoint(0, 180)), 20_014, 20_016);
    }
}
