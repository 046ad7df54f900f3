using GslbDns.Protocol;
using GslbDns.Health;
using GslbDns.Steering.State;
using GslbDns.Tests.Steering;

namespace GslbDns.Tests.Health;

public class HealthPolicyTests
{
    private const string Policy = """
        defaults:
          health: { check: tcp, port: 443, interval: 5s, timeout: 1s, rise: 2, fall: 3 }
        services:
          www:
            ttl-unhealthy: 5
            health:
              check: http
              port: 80
              path: /healthz
              host: www.example.com
              method: GET
              expect: { status: [200, 204, "300-399"], body: "ok" }
              interval: 1s
              fast-interval: 250ms
              timeout: 500ms
              initial: unknown
            regions:
              ap: { target: ap.www, health: { port: 8080, address: 10.1.0.5 } }
              eu: { target: eu.www, health: { check: none } }
            topology:
              - default: [ap, eu]
          api:
            regions:
              us: { target: us.api }
            topology:
              - default: [us]
          db:
            ttl: 3
            health: { check: dns, port: 53, query: { name: db.example.com, type: AAAA } }
            regions:
              us: { target: us.db }
            topology:
              - default: [us]
        """;

    [Fact]
    public void NearerBlocksWin_KeyByKey()
    {
        var document = PolicyText.ReadValid(Policy);
        var www = document.Services[0];
        var ap = www.Regions[0].Health;
        Assert.Equal(CheckKind.Http, ap.Kind);
        Assert.Equal(8080, ap.Port);
        Assert.Equal("10.1.0.5", ap.Address!.ToString());
        Assert.Equal("/healthz", ap.Path);
        Assert.Equal("www.example.com", ap.Host);
        Assert.Equal(TimeSpan.FromSeconds(1), ap.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), ap.FastInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), ap.Timeout);
        Assert.Equal(2, ap.Rise);
        Assert.Equal(3, ap.Fall);
        Assert.Equal(HealthStatus.Unknown, ap.Initial);
        Assert.Equal("ok", ap.ExpectBody);
        Assert.Equal([new StatusRange(200, 200), new StatusRange(204, 204), new StatusRange(300, 399)], ap.ExpectStatus.ToArray());
        Assert.Equal(CheckKind.None, www.Regions[1].Health.Kind);
        Assert.Equal(5u, www.TtlUnhealthy);

        var api = document.Services[1].Regions[0].Health;
        Assert.Equal(CheckKind.Tcp, api.Kind);
        Assert.Equal(443, api.Port);
        Assert.Equal(TimeSpan.FromSeconds(5), api.Interval);
        Assert.Equal(10u, document.Services[1].TtlUnhealthy);

        var db = document.Services[2];
        Assert.Equal(CheckKind.Dns, db.Regions[0].Health.Kind);
        Assert.Equal(53, db.Regions[0].Health.EffectivePort);
        Assert.Equal("db.example.com.", db.Regions[0].Health.QueryName);
        Assert.Equal(RecordType.AAAA, db.Regions[0].Health.QueryType);
        // Never above the service TTL.
        Assert.Equal(3u, db.TtlUnhealthy);
    }

    [Fact]
    public void WithoutHealthBlocks_NothingIsChecked()
    {
        var document = PolicyText.ReadValid(PolicyText.Full);
        Assert.All(document.Services.SelectMany(s => s.Regions), r => Assert.Equal(CheckKind.None, r.Health.Kind));
    }

    [Fact]
    public void ADefinitionChange_ChangesTheIdentity_AnythingElseKeepsIt()
    {
        var a = PolicyText.ReadValid(Policy).Services[0].Regions[0].Health;
        var b = PolicyText.ReadValid(Policy.Replace("ttl-unhealthy: 5", "ttl-unhealthy: 6")).Services[0].Regions[0].Health;
        var c = PolicyText.ReadValid(Policy.Replace("path: /healthz", "path: /ready")).Services[0].Regions[0].Health;
        Assert.Equal(a.Identity, b.Identity);
        Assert.NotEqual(a.Identity, c.Identity);
    }

    [Theory]
    [InlineData("{ check: ping }", "example.com.gslb.yaml:4: check must be one of: none, tcp, http, https, dns; found 'ping'")]
    [InlineData("{ check: tcp, interval: 1s, timeout: 1s }", "example.com.gslb.yaml:4: health check of www.example.com. region a: timeout 1s must be below interval 1s")]
    [InlineData("{ check: tcp, fall: 0 }", "example.com.gslb.yaml:4: fall must be an integer from 1 to 100, found '0'")]
    [InlineData("{ check: tcp, rise: 101 }", "example.com.gslb.yaml:4: rise must be an integer from 1 to 100, found '101'")]
    [InlineData("{ check: http, expect: { status: [200-abc] } }", "example.com.gslb.yaml:4: expect.status: '200-abc' is not a status (100-599) or a range such as 200-399")]
    [InlineData("{ check: http, expect: { status: \"399-200\" } }", "example.com.gslb.yaml:4: expect.status: '399-200' is not a status (100-599) or a range such as 200-399")]
    [InlineData("{ check: http, interval: 5 minutes }", "example.com.gslb.yaml:4: interval must be a duration such as 250ms, 5s or 1m, found '5 minutes'")]
    [InlineData("{ check: tcp, interval: 10ms }", "example.com.gslb.yaml:4: interval must be at least 100ms, found '10ms'")]
    [InlineData("{ check: http, method: POST }", "example.com.gslb.yaml:4: method must be one of: GET, HEAD; found 'POST'")]
    [InlineData("{ check: http, method: HEAD, expect: { body: ok } }", "example.com.gslb.yaml:4: health check of www.example.com. region a: a HEAD reply has no body, so expect.body can never match; use method GET")]
    [InlineData("{ check: http, path: healthz }", "example.com.gslb.yaml:4: path must start with '/' and hold no spaces or control characters, found 'healthz'")]
    [InlineData("{ check: tcp, address: 10.0.0.300 }", "example.com.gslb.yaml:4: address must be an IPv4 or IPv6 address, found '10.0.0.300'")]
    [InlineData("{ check: tcp, fast-interval: 10s }", "example.com.gslb.yaml:4: health check of www.example.com. region a: fast-interval 10s must not exceed interval 5s")]
    [InlineData("{ check: tcp, intervall: 1s }", "example.com.gslb.yaml:4: unknown key 'intervall' in service www.example.com. health; expected one of: check, port, path, host, method, expect, tls-verify, interval, fast-interval, timeout, rise, fall, initial, address, source, query, agree")]
    public void BadChecks_AreReportedAtTheirLine(string health, string expected)
    {
        var text = $"""
            services:
              www:
                # the check
                health: {health}
                regions:
                  a: {"{"} target: a.www {"}"}
                topology:
                  - default: [a]
            """;
        var (document, problems) = PolicyText.Read(text);
        Assert.Null(document);
        Assert.Equal([expected], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void ABadDefault_IsReportedAtItsOwnLine_ForEachRegionThatInheritsIt()
    {
        var text = """
            defaults:
              health: { check: tcp, interval: 1s, timeout: 2s }
            services:
              www:
                regions:
                  a: { target: a.www }
                  b: { target: b.www }
                topology:
                  - default: [a, b]
            """;
        var (_, problems) = PolicyText.Read(text);
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Equal(2, p.Location.Line));
    }
}
