using GslbDns.Protocol;
using GslbDns.Steering.Policy;

namespace GslbDns.Tests.Steering;

public class PolicyReaderTests
{
    [Fact]
    public void FullPolicy_ReadsIntoExactModel()
    {
        var document = PolicyText.ReadValid(PolicyText.Full);

        Assert.Equal(PolicyText.Zone, document.Zone);
        Assert.Equal(2, document.Services.Length);

        var www = document.Services[0];
        Assert.Equal(0, www.Index);
        Assert.Equal(DnsName.Parse("www.example.com."), www.Name);
        Assert.Equal(ServiceMode.Cname, www.Mode);
        Assert.Equal(20u, www.Ttl);
        Assert.Equal(AllDownPolicy.ServFail, www.AllDown);
        Assert.Equal(new LoadPolicy(0.7, 0.9, SpillMode.Capacity, TimeSpan.FromSeconds(20)), www.Load);
        Assert.Equal(7, www.Source.Line);

        Assert.Equal<string>(["ap", "eu", "us"], www.Regions.Select(r => r.Name));
        var ap = www.Regions[0];
        Assert.Equal(DnsName.Parse("ap.www.example.com."), ap.Target);
        Assert.Equal(new GeoPoint(1.35, 103.82), ap.Location);
        Assert.Equal(100, ap.Weight);
        Assert.Equal(5000L, ap.Capacity);
        Assert.Equal(11, ap.Source.Line);
        var eu = www.Regions[1];
        Assert.Equal(DnsName.Parse("eu.www.example.com."), eu.Target);
        Assert.Equal(RegionConfig.DefaultWeight, eu.Weight);
        Assert.Null(eu.Capacity);
        Assert.Equal(50, www.Regions[2].Weight);
        Assert.Equal(new GeoPoint(39.04, -77.49), www.Regions[2].Location);

        Assert.Equal(7, www.Rules.Length);
        var cidrRule = www.Rules[0];
        Assert.Equal(15, cidrRule.Source.Line);
        Assert.Equal<string>(["198.51.100.0/24", "2001:db8:1::/48"], cidrRule.Match.Cidrs.Select(c => c.ToString()));
        Assert.Equal(120, cidrRule.Match.Cidrs[0].Length);
        Assert.Equal(48, cidrRule.Match.Cidrs[1].Length);
        Assert.Equal(RegionRanking.Sequence(1), cidrRule.Preference.Ranks);

        Assert.Equal<uint>([4766u, 9318u], www.Rules[1].Match.Asns);
        Assert.Equal(RegionRanking.Sequence(0, 1), www.Rules[1].Preference.Ranks);

        Assert.Equal<string>(["AS", "OC"], www.Rules[2].Match.Continents);
        Assert.Equal(RegionRanking.FromRanks([[0], [1, 2]]), www.Rules[2].Preference.Ranks);
        Assert.Equal("[ap, [eu, us]]", www.Rules[2].Preference.Ranks!.Format(www.Regions));

        Assert.Equal<string>(["GB", "IE"], www.Rules[3].Match.Countries);
        Assert.Empty(www.Rules[3].Match.Subdivisions);
        Assert.Equal<string>(["US"], www.Rules[4].Match.Countries);
        Assert.Equal<string>(["US-CA", "US-WA"], www.Rules[4].Match.Subdivisions);
        Assert.Equal(RegionRanking.Sequence(2, 0), www.Rules[4].Preference.Ranks);

        Assert.Equal<string>(["NA", "SA"], www.Rules[5].Match.Continents);
        Assert.True(www.Rules[5].Preference.Nearest);
        Assert.Null(www.Rules[5].Preference.Ranks);

        var last = www.Rules[6];
        Assert.True(last.IsDefault);
        Assert.True(last.Preference.Nearest);
        Assert.Equal(RegionRanking.FromRanks([[2], [1, 0]]), last.Preference.Fallback);

        var apex = document.Services[1];
        Assert.Equal(1, apex.Index);
        Assert.Equal(PolicyText.Zone, apex.Name);
        Assert.Equal(ServiceMode.Address, apex.Mode);
        Assert.Equal(45u, apex.Ttl);
        Assert.Equal(AllDownPolicy.NoData, apex.AllDown);
        Assert.Null(apex.Regions[0].Location);
        Assert.Equal(300, apex.Regions[1].Weight);
        Assert.Equal(RegionRanking.Single(0, 1), apex.Rules.Single().Preference.Ranks);

        Assert.True(document.TryGetService(DnsName.Parse("WWW.Example.COM."), out var found));
        Assert.Same(www, found);
        Assert.False(document.TryGetService(DnsName.Parse("ftp.example.com."), out _));
    }

    [Fact]
    public void Defaults_ApplyWhenFileGivesNone()
    {
        var document = PolicyText.ReadValid(PolicyText.Service("a: { target: a.www }", "- default: [a]"));
        var service = document.Services.Single();
        Assert.Equal(ServiceMode.Cname, service.Mode);
        Assert.Equal(30u, service.Ttl);
        Assert.Equal(AllDownPolicy.FailOpen, service.AllDown);
        Assert.Equal(LoadPolicy.Default, service.Load);
    }

    [Fact]
    public void ScalarForList_IsAListOfOne()
    {
        var document = PolicyText.ReadValid(PolicyText.Service(
            "a: { target: a.www }\nb: { target: b.www }",
            "- match: { country: gb }\n  prefer: a\n- default: b"));
        var rules = document.Services[0].Rules;
        Assert.Equal<string>(["GB"], rules[0].Match.Countries);
        Assert.Equal(RegionRanking.Sequence(0), rules[0].Preference.Ranks);
        Assert.Equal(RegionRanking.Sequence(1), rules[1].Preference.Ranks);
    }

    [Fact]
    public void AnchorsAndAliases_AreResolved()
    {
        var document = PolicyText.ReadValid("""
            services:
              www:
                regions: &regions
                  a: { target: a.www }
                topology: &topology
                  - default: [a]
              api:
                regions:
                  a: { target: a.api }
                topology: *topology
            """);
        Assert.Equal(2, document.Services.Length);
        Assert.Equal(RegionRanking.Sequence(0), document.Services[1].Rules[0].Preference.Ranks);
    }

    [Fact]
    public void AbsoluteServiceName_InsideZone_IsAccepted()
    {
        var document = PolicyText.ReadValid("""
            services:
              api.eu.example.com.:
                mode: address
                regions:
                  a: { target: a.api.eu }
                topology:
                  - default: [a]
            """);
        Assert.Equal(DnsName.Parse("api.eu.example.com."), document.Services[0].Name);
        Assert.Equal(ServiceMode.Address, document.Services[0].Mode);
    }

    [Fact]
    public void ReadFromFile_UsesPathInLocations()
    {
        var path = Path.Combine(Path.GetTempPath(), $"gslb-{Guid.NewGuid():N}.gslb.yaml");
        File.WriteAllText(path, "services:\n  www:\n    regions: {}\n    topology:\n      - default: nearest\n");
        try
        {
            var (document, problems) = PolicyReader.Read(path, PolicyText.Zone);
            Assert.Null(document);
            Assert.Equal($"{path}:3: service www.example.com. has no regions", problems.Single().ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingFile_IsAProblemNotAnException()
    {
        var (document, problems) = PolicyReader.Read("/nonexistent/zones/x.gslb.yaml", PolicyText.Zone);
        Assert.Null(document);
        Assert.StartsWith("/nonexistent/zones/x.gslb.yaml:0: cannot read policy file:", problems.Single().ToString());
    }
}
