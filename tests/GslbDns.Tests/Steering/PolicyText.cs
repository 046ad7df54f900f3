using GslbDns.Protocol;
using GslbDns.Steering.Policy;
using GslbDns.Zones;

namespace GslbDns.Tests.Steering;

/// <summary>Shared policy texts and a reader shortcut.</summary>
internal static class PolicyText
{
    public const string File = "example.com.gslb.yaml";

    public static readonly DnsName Zone = DnsName.Parse("example.com.");

    /// <summary>A policy using every feature; line numbers matter to the tests.</summary>
    public const string Full = """
        # steering for example.com
        defaults:
          ttl: 45
          all-down: servfail
          load: { shed: { start: 0.7, full: 0.9 }, spill: capacity, report-ttl: 20s }
        services:
          www:
            mode: cname
            ttl: 20
            regions:
              ap: { target: ap.www, location: [1.35, 103.82], weight: 100, capacity: 5000 }
              eu: { target: eu.www.example.com., location: [50.11, 8.68] }
              us: { target: us.www, location: [39.04, -77.49], weight: 50 }
            topology:
              - match: { cidr: [198.51.100.0/24, "2001:db8:1::/48"] }
                prefer: [eu]
              - match: { asn: [4766, AS9318] }
                prefer: [ap, eu]
              - match: { continent: [AS, oc] }
                prefer: [ap, [eu, us]]
              - match: { country: [GB, IE] }
                prefer: [eu, us]
              - match: { country: US, subdivision: [US-CA, us-wa] }
                prefer: [us, ap]
              - match: { continent: [NA, SA] }
                nearest: true
              - default: nearest
                fallback: [us, [eu, ap]]
          "@":
            all-down: nodata
            regions:
              one: { target: a.apex }
              two: { target: b.apex, weight: 300 }
            topology:
              - default: [[one, two]]
        """;

    public static (PolicyDocument? Document, IReadOnlyList<ZoneProblem> Problems) Read(string text, IPolicyZoneView? zone = null) =>
        PolicyReader.ReadText(text, File, Zone, zone);

    public static PolicyDocument ReadValid(string text)
    {
        var (document, problems) = Read(text);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return document!;
    }

    /// <summary>The problems of <paramref name="text"/> as "file:line: message" strings.</summary>
    public static string[] Problems(string text, IPolicyZoneView? zone = null)
    {
        var (document, problems) = Read(text, zone);
        Assert.Null(document);
        return problems.Select(p => p.ToString()).ToArray();
    }

    /// <summary>A minimal valid service around the given topology and regions lines.</summary>
    public static string Service(string regions, string topology) => $"""
        services:
          www:
            regions:
        {Indent(regions, 6)}
            topology:
        {Indent(topology, 6)}
        """;

    private static string Indent(string text, int spaces) =>
        string.Join("\n", text.Split('\n').Select(line => new string(' ', spaces) + line));
}
