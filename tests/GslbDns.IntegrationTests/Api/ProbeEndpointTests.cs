using System.Net;
using GslbDns.Api;
using GslbDns.Commands;
using GslbDns.Hosting;
using GslbDns.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static GslbDns.IntegrationTests.Api.ApiScenario;

namespace GslbDns.IntegrationTests.Api;

/// <summary><c>GET /healthz</c>, <c>GET /readyz</c> and <c>gslbdns healthcheck</c> against the real host.</summary>
public sealed class ProbeEndpointTests
{
    [Fact]
    public async Task Healthz_AndReadyz_Answer200_WithoutAToken_WhereWritesNeedOne()
    {
        await using var s = await StartAsync();
        using var anonymous = new HttpClient();

        using (var live = await anonymous.GetAsync(new Uri(s.Api, ProbeEndpoints.HealthzPath)))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("ok\n", await live.Content.ReadAsStringAsync());
        }
        using (var ready = await anonymous.GetAsync(new Uri(s.Api, ProbeEndpoints.ReadyzPath)))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync());
        }
        // Control: the same client without a token is refused a write on the same API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.ReportAsync(anonymous, "eu", """{"cpu":0.3}""")).StatusCode);
    }

    [Fact]
    public async Task Readiness_BeforeTheStart_SaysWhatIsMissing()
    {
        var folder = TempFolder.Create();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "example.com.zone"), Zone);
            using var host = ServerHost.Build(new Dictionary<string, string?>
            {
                ["Server:Zones"] = folder,
                ["Server:Listen:0"] = "127.0.0.1:0",
                ["Server:ApiListen"] = "none",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            var readiness = host.Services.GetRequiredService<ServerReadiness>();
            Assert.Equal((false, "loading zones, policies and GeoIP databases"), readiness.Check());

            await host.StartAsync();
            Assert.Equal((true, "ready"), readiness.Check());

            await host.StopAsync();
            Assert.Equal((false, "shutting down"), readiness.Check());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task HealthcheckVerb_ExitsZero_OnARunningServer_AndOne_WhenNothingAnswers()
    {
        await using var s = await StartAsync();
        var api = s.Api.ToString().TrimEnd('/');

        Assert.Equal((0, $"{api}/healthz: ok\n", ""), Run("healthcheck", "--api", api));
        Assert.Equal((0, $"{api}/readyz: ready\n", ""), Run("healthcheck", "--ready", "--api", api));

        var dead = $"http://127.0.0.1:{Process.RunningServer.FreePort()}";
        var (code, stdout, stderr) = Run("healthcheck", "--api", dead);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"gslbdns healthcheck: {dead}/healthz: ", stderr, StringComparison.Ordinal);

        Assert.Equal(2, Run("healthcheck", "--bogus").Code);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = CommandVerbs.TryRun(args, stdout, stderr) ?? -1;
        return (code, stdout.ToString().ReplaceLineEndings("\n"), stderr.ToString().ReplaceLineEndings("\n"));
    }
}
