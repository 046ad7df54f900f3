using GslbDns.Protocol;
using GslbDns.Steering.Policy;

namespace GslbDns.Tests.Steering;

public class PolicyZoneCheckTests
{
    /// <summary>A zone's owner names and types, answering the validator's questions from a set.</summary>
    private sealed class RecordSetZoneView(params (string Owner, RecordType Type)[] records) : IPolicyZoneView
    {
        private readonly HashSet<(DnsName, RecordType)> _records = records.Select(r => (DnsName.Parse(r.Owner), r.Type)).ToHashSet();

        public bool HasRecords(DnsName name, RecordType type) => _records.Contains((name, type));

        public bool HasAnyRecords(DnsName name) => _records.Any(r => r.Item1.Equals(name));
    }

    private const string Policy = """
        services:
          www:
            regions:
              a: { target: a.www }
              b: { target: b.www }
            topology:
              - default: [a, b]
          "@":
            regions:
              a: { target: a.www }
            topology:
              - default: [a]
        """;

    [Fact]
    public void ConsistentZone_Passes()
    {
        var zone = new RecordSetZoneView(
            ("example.com.", RecordType.SOA), ("example.com.", RecordType.NS), ("example.com.", RecordType.MX),
            ("a.www.example.com.", RecordType.A), ("b.www.example.com.", RecordType.AAAA));
        var (document, problems) = PolicyText.Read(Policy, zone);
        Assert.Empty(problems);
        Assert.NotNull(document);
    }

    [Fact]
    public void ZoneConflicts_AreAllReported()
    {
        var zone = new RecordSetZoneView(
            ("example.com.", RecordType.SOA), ("example.com.", RecordType.A),
            ("www.example.com.", RecordType.TXT),
            ("a.www.example.com.", RecordType.A), ("b.www.example.com.", RecordType.MX));
        Assert.Equal(
        [
            "example.com.gslb.yaml:2: www.example.com. is answered with a CNAME, so the zone must hold no other records at that name (RFC 1034 §3.6.2, RFC 2181 §10.1)",
            "example.com.gslb.yaml:5: target b.www.example.com. of region 'b' has no A or AAAA records in zone example.com.",
            "example.com.gslb.yaml:8: example.com. is answered with the chosen region's addresses, so the zone must hold no A, AAAA or CNAME records at that name",
        ], PolicyText.Problems(Policy, zone));
    }
}
