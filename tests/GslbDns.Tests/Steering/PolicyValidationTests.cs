namespace GslbDns.Tests.Steering;

public class PolicyValidationTests
{
    private const string Broken = """
        defaults:
          ttl: -1
          all-down: failopen
          load: { shed: { start: 0, mem: 50 }, spill: over }
        servces: {}
        services:
          www:
            mode: alias
            ttl: 30s
            regions:
              ap: { target: ap.www, location: [91, 103.82], weight: 0, capacity: many }
              eu: { target: eu.www, location: [50.11, 181] }
              eu: { target: eu2.www }
              us: { target: us.other.org., wieght: 50 }
              "bad name": { target: x.www }
              far: { target: far.www, location: [1] }
              same: { target: ap.www, location: [0, 0] }
              self: { target: www, location: [0, 0] }
            topology:
              - match: { cidr: [198.51.100.1/24, 10.0.0.0, "2001:db8::/129", "nope/8"] }
                prefer: [eu]
              - match: { asn: [0, AS4294967296, x1] }
                prefer: []
              - match: { continent: [XX, eu], country: [GBR, "1A"], subdivision: [USCA, US-TOOLONG] }
                prefer: [ap, [eu, zz], [], ap]
              - match: {}
                prefer: [eu]
              - match: { country: GB }
              - match: { country: GB }
                prefer: [eu]
                nearest: true
              - match: { contry: GB }
                prefer: [eu]
              - default: [us]
              - match: { country: FR }
                nearest: false
              - default: eu
                fallback: [us]
          www:
            regions: { a: { target: a.www } }
            topology: [ { default: [a] } ]
          www.example.com.:
            regions: { a: { target: a.www } }
          outside.org.:
            regions: { a: { target: a.www } }
            topology: [ { default: [a] } ]
          "@":
            mode: cname
            regions: { a: { target: a.www } }
            topology:
              - match: { country: GB }
                prefer: [a]
          api:
            regions: []
            topology: nearest
        """;

    [Fact]
    public void BrokenPolicy_ReportsEveryProblemWithFileAndLine()
    {
        string[] expected =
        [
            "example.com.gslb.yaml:2: ttl must be an integer from 0 to 2147483647, found '-1'",
            "example.com.gslb.yaml:3: all-down must be one of: fail-open, servfail, nodata; found 'failopen'",
            "example.com.gslb.yaml:4: unknown key 'mem' in defaults.load.shed; expected one of: start, full",
            "example.com.gslb.yaml:4: shed.start must be a fraction above 0 and at most 1 (0.80 is 80 %), found 0",
            "example.com.gslb.yaml:4: spill must be one of: next, capacity; found 'over'",
            "example.com.gslb.yaml:5: unknown key 'servces' in the policy file; expected one of: defaults, services",
            "example.com.gslb.yaml:8: mode must be one of: cname, address; found 'alias'",
            "example.com.gslb.yaml:9: ttl must be an integer from 0 to 2147483647, found '30s'",
            "example.com.gslb.yaml:11: latitude 91 is out of range (-90 to 90)",
            "example.com.gslb.yaml:11: weight must be an integer from 1 to 1000000, found '0'",
            "example.com.gslb.yaml:11: capacity must be an integer from 1 to 9223372036854775807, found 'many'",
            "example.com.gslb.yaml:12: longitude 181 is out of range (-180 to 180)",
            "example.com.gslb.yaml:13: duplicate region 'eu' (first at line 12)",
            "example.com.gslb.yaml:14: unknown key 'wieght' in region 'us'; expected one of: target, location, weight, capacity, health, load",
            "example.com.gslb.yaml:14: target us.other.org. is not inside zone example.com.; its addresses must come from this zone",
            "example.com.gslb.yaml:15: bad region name 'bad name': use 1 to 63 letters, digits, '-' or '_'",
            "example.com.gslb.yaml:16: location must be [latitude, longitude] in decimal degrees",
            "example.com.gslb.yaml:17: region 'same' has the same target as region 'ap' (line 11); health and load are tracked per target",
            "example.com.gslb.yaml:18: target www.example.com. is the steered name itself",
            "example.com.gslb.yaml:20: bad cidr '198.51.100.1/24' has host bits set; the network is 198.51.100.0/24",
            "example.com.gslb.yaml:20: bad cidr '10.0.0.0' has no prefix length (write e.g. 192.0.2.0/24 or 2001:db8::/32)",
            "example.com.gslb.yaml:20: bad cidr '2001:db8::/129' has a bad prefix length (0 to 128)",
            "example.com.gslb.yaml:20: bad cidr 'nope' is not an IP address",
            "example.com.gslb.yaml:22: bad AS number '0'; use 1 to 4294967295, optionally written AS64500",
            "example.com.gslb.yaml:22: bad AS number 'AS4294967296'; use 1 to 4294967295, optionally written AS64500",
            "example.com.gslb.yaml:22: bad AS number 'x1'; use 1 to 4294967295, optionally written AS64500",
            "example.com.gslb.yaml:23: prefer is empty; name at least one region",
            "example.com.gslb.yaml:24: unknown continent 'XX'; use one of: AF AN AS EU NA OC SA",
            "example.com.gslb.yaml:24: bad country code 'GBR'; use an ISO 3166-1 alpha-2 code such as GB",
            "example.com.gslb.yaml:24: bad country code '1A'; use an ISO 3166-1 alpha-2 code such as GB",
            "example.com.gslb.yaml:24: bad subdivision code 'USCA'; use an ISO 3166-2 code such as US-CA",
            "example.com.gslb.yaml:24: bad subdivision code 'US-TOOLONG'; use an ISO 3166-2 code such as US-CA",
            "example.com.gslb.yaml:25: unknown region 'zz' in prefer; the service has: ap, eu, us, far, same, self",
            "example.com.gslb.yaml:25: empty rank in prefer",
            "example.com.gslb.yaml:25: region 'ap' appears twice in prefer",
            "example.com.gslb.yaml:26: match has no conditions; use '- default: ...' for the rule that matches everyone",
            "example.com.gslb.yaml:28: the rule says whom it matches but not where to send them; add 'prefer: [...]' or 'nearest: true'",
            "example.com.gslb.yaml:31: a rule has either 'prefer' or 'nearest', not both",
            "example.com.gslb.yaml:32: unknown key 'contry' in match; expected one of: continent, country, subdivision, asn, cidr",
            "example.com.gslb.yaml:35: rule after the default rule at line 34 can never match; the default must be last",
            "example.com.gslb.yaml:36: 'nearest: false' does nothing; use 'prefer: [...]' instead",
            "example.com.gslb.yaml:37: second default rule (the first is at line 34)",
            "example.com.gslb.yaml:38: 'fallback' is only allowed with 'default: nearest'",
            "example.com.gslb.yaml:39: duplicate service www.example.com. (first at line 7)",
            "example.com.gslb.yaml:42: duplicate service www.example.com. (first at line 7)",
            "example.com.gslb.yaml:44: service outside.org. is not inside zone example.com.",
            "example.com.gslb.yaml:48: mode cname is not allowed at the zone apex: a CNAME cannot sit beside the SOA and NS records (RFC 1034 §3.6.2); use mode address",
            "example.com.gslb.yaml:51: topology of service example.com. has no default rule; end it with '- default: nearest' or '- default: [region, ...]'",
            "example.com.gslb.yaml:54: regions must be a mapping, found a list",
            "example.com.gslb.yaml:55: topology must be a list of rules, found a scalar",
        ];
        Assert.Equal(expected, PolicyText.Problems(Broken));
    }

    private const string TwoRegions = "a: { target: a.www, location: [51.5, -0.12] }\nb: { target: b.www, location: [40.7, -74] }";

    [Theory]
    [InlineData("- match: { country: GB }\n  prefer: [a]", "example.com.gslb.yaml:7: topology of service www.example.com. has no default rule; end it with '- default: nearest' or '- default: [region, ...]'")]
    [InlineData("- default: [a]\n- match: { country: GB }\n  prefer: [b]", "example.com.gslb.yaml:8: rule after the default rule at line 7 can never match; the default must be last")]
    [InlineData("- match: { country: GB }\n  prefer: [c]\n- default: nearest", "example.com.gslb.yaml:8: unknown region 'c' in prefer; the service has: a, b")]
    [InlineData("- match: { country: GB }\n  prefer: []\n- default: nearest", "example.com.gslb.yaml:8: prefer is empty; name at least one region")]
    [InlineData("- match: { country: GBR }\n  prefer: [a]\n- default: nearest", "example.com.gslb.yaml:7: bad country code 'GBR'; use an ISO 3166-1 alpha-2 code such as GB")]
    [InlineData("- match: { continent: [EUR] }\n  prefer: [a]\n- default: nearest", "example.com.gslb.yaml:7: unknown continent 'EUR'; use one of: AF AN AS EU NA OC SA")]
    [InlineData("- match: { cidr: [192.0.2.1/24] }\n  prefer: [a]\n- default: nearest", "example.com.gslb.yaml:7: bad cidr '192.0.2.1/24' has host bits set; the network is 192.0.2.0/24")]
    [InlineData("- match: { cidr: [\"2001:db8::1/32\"] }\n  prefer: [a]\n- default: nearest", "example.com.gslb.yaml:7: bad cidr '2001:db8::1/32' has host bits set; the network is 2001:db8::/32")]
    [InlineData("- mtch: { country: GB }\n  prefer: [a]\n- default: nearest", "example.com.gslb.yaml:7: unknown key 'mtch' in a topology rule; expected one of: match, prefer, nearest, default, fallback")]
    [InlineData("- default: [a, b, a]", "example.com.gslb.yaml:7: region 'a' appears twice in default")]
    [InlineData("- default: [a]\n- default: [b]", "example.com.gslb.yaml:8: second default rule (the first is at line 7)")]
    [InlineData("- match: { country: [GB, IE], subdivision: [US-CA] }\n  prefer: [a]\n- default: nearest", "example.com.gslb.yaml:7: subdivision US-CA can never match: this rule also requires country GB or IE (all keys of a match must hold; use two rules for either)")]
    public void TopologyProblem_IsReportedAtItsLine(string topology, string expected)
    {
        Assert.Equal([expected], PolicyText.Problems(PolicyText.Service(TwoRegions, topology)));
    }

    [Theory]
    [InlineData("a: { target: a.www, weight: 0 }", "example.com.gslb.yaml:4: weight must be an integer from 1 to 1000000, found '0'")]
    [InlineData("a: { target: a.www, weight: -5 }", "example.com.gslb.yaml:4: weight must be an integer from 1 to 1000000, found '-5'")]
    [InlineData("a: { target: a.www, location: [-90.5, 0] }", "example.com.gslb.yaml:4: latitude -90.5 is out of range (-90 to 90)")]
    [InlineData("a: { target: a.www, location: [0, -180.01] }", "example.com.gslb.yaml:4: longitude -180.01 is out of range (-180 to 180)")]
    [InlineData("a: { target: a.www, location: [north, 0] }", "example.com.gslb.yaml:4: latitude must be a number, found 'north'")]
    [InlineData("a: { target: a.www, wieght: 5 }", "example.com.gslb.yaml:4: unknown key 'wieght' in region 'a'; expected one of: target, location, weight, capacity, health, load")]
    [InlineData("a: { location: [0, 0] }", "example.com.gslb.yaml:4: region 'a' has no 'target'")]
    [InlineData("a: { target: a.www }\na: { target: b.www }", "example.com.gslb.yaml:5: duplicate region 'a' (first at line 4)")]
    [InlineData("a: { target: a.www.example.net. }", "example.com.gslb.yaml:4: target a.www.example.net. is not inside zone example.com.; its addresses must come from this zone")]
    public void RegionProblem_IsReportedAtItsLine(string regions, string expected)
    {
        Assert.Equal([expected], PolicyText.Problems(PolicyText.Service(regions, "- default: [a]")));
    }

    [Fact]
    public void DistanceRule_NeedsEveryRegionLocated()
    {
        var text = PolicyText.Service("a: { target: a.www, location: [0, 0] }\nb: { target: b.www }", "- default: nearest");
        Assert.Equal(["example.com.gslb.yaml:5: region 'b' has no location, but the rule at line 7 orders regions by distance"], PolicyText.Problems(text));
    }

    [Fact]
    public void DuplicateService_RelativeAndAbsoluteSpellings_IsReported()
    {
        var text = """
            services:
              www: { regions: { a: { target: a.www } }, topology: [ { default: [a] } ] }
              WWW.example.com.: { regions: { a: { target: a.www } }, topology: [ { default: [a] } ] }
            """;
        Assert.Equal(["example.com.gslb.yaml:3: duplicate service www.example.com. (first at line 2)"], PolicyText.Problems(text));
    }

    [Fact]
    public void ServiceOutsideZone_IsReported()
    {
        var text = "services:\n  www.example.org.: { regions: { a: { target: a.www } }, topology: [ { default: [a] } ] }";
        Assert.Equal(["example.com.gslb.yaml:2: service www.example.org. is not inside zone example.com."], PolicyText.Problems(text));
    }

    [Fact]
    public void YamlSyntaxError_IsReportedWithLine()
    {
        var problems = PolicyText.Problems("services:\n  www:\n    regions: { a: [1, 2 }\n");
        var problem = Assert.Single(problems);
        Assert.StartsWith("example.com.gslb.yaml:3: YAML syntax error: ", problem);
    }

    [Fact]
    public void EmptyFile_IsReported()
    {
        Assert.Equal(["example.com.gslb.yaml:1: policy file is empty; it needs a 'services' mapping"], PolicyText.Problems("# nothing\n"));
    }

    [Fact]
    public void DuplicateKey_IsReportedNotThrown()
    {
        var text = PolicyText.Service("a: { target: a.www, weight: 5, weight: 6 }", "- default: [a]");
        Assert.Equal(["example.com.gslb.yaml:4: duplicate key 'weight' in region 'a' (first at line 4)"], PolicyText.Problems(text));
    }
}
