namespace GslbDns.IntegrationTests.Answering;

/// <summary>The zones the answering tests run against, written as an operator would write them.</summary>
public static class AnsweringZones
{
    public const string ExampleCom = """
        $ORIGIN example.com.
        $TTL 3600
        @          SOA   ns1 hostmaster 2026112701 7200 900 1209600 300
        @          NS    ns1
        @          NS    ns2.example.net.
        @          MX    10 mail
        ns1        A     192.0.2.53
        ns1        AAAA  2001:db8::53
        mail       A     192.0.2.25
        www        A     192.0.2.1
        alias      CNAME www
        chain1     CNAME chain2
        chain2     CNAME www
        outside    CNAME www.example.net.
        dangling   CNAME missing
        loop1      CNAME loop2
        loop2      CNAME loop1
        *.wild     A     192.0.2.99
        *.wild     TXT   "wild"
        real.wild  A     192.0.2.98
        a.b.wild   A     192.0.2.97
        *.cw       CNAME www
        host       TXT   "only txt"
        deep.ent   A     192.0.2.96
        sub        NS    ns.sub
        sub        NS    ns.example.net.
        sub        DS    12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE3F4DFB3E2A3F1B4E0CA1BD5A
        ns.sub     A     192.0.2.200
        _sip._tcp  SRV   10 60 5060 sip
        sip        A     192.0.2.60
        """;

    /// <summary>SOA TTL below MINIMUM, so the negative TTL comes from the TTL (RFC 2308 §5).</summary>
    public const string ExampleOrg = """
        $ORIGIN example.org.
        @    60  SOA  ns1.example.com. hostmaster.example.com. 7 7200 900 1209600 300
        @    60  NS   ns1.example.com.
        www  60  A    192.0.2.7
        """;

    public static IReadOnlyDictionary<string, string> Files()
    {
        var big = new System.Text.StringBuilder(ExampleCom).AppendLine();
        for (int i = 0; i < 40; i++)
        {
            big.AppendLine($"big TXT \"record {i:D2} {new string('x', 50)}\"");
        }
        return new Dictionary<string, string>
        {
            ["example.com.zone"] = big.ToString(),
            ["example.org.zone"] = ExampleOrg,
        };
    }
}

/// <summary>One server for all answering tests: starting a host per test would only slow the suite.</summary>
public sealed class AnsweringServerFixture : IAsyncLifetime
{
    public Infrastructure.TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await Infrastructure.TestServer.StartAsync(AnsweringZones.Files(), ipv6: true);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
