using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GslbDns.Commands;
using GslbDns.IntegrationTests.Health;
using static GslbDns.IntegrationTests.Api.ApiScenario;

namespace GslbDns.IntegrationTests.Api;

/// <summary>The API over HTTPS, and <c>gslbdns status</c> against a running server.</summary>
public sealed class ApiTlsAndStatusTests
{
    [Fact]
    public async Task WithCertificateAndKey_TheApiIsHttps_AndAcceptsReports()
    {
        var folder = Infrastructure.TempFolder.Create();
        try
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            string certFile = Path.Combine(folder, "api.crt"), keyFile = Path.Combine(folder, "api.key");
            await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

            await using var s = await StartAsync(extra: new Dictionary<string, string?>
            {
                ["Server:ApiTlsCert"] = certFile,
                ["Server:ApiTlsKey"] = keyFile,
            });
            Assert.Equal("https", s.Api.Scheme);
            string thumbprint = certificate.Thumbprint;
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == thumbprint,
            };
            using var client = Client(EuSecret, handler);
            Assert.Equal(HttpStatusCode.NoContent, (await s.ReportAsync(client, "eu", """{"cpu":0.3}""")).StatusCode);
            Assert.Equal(0.3, (await s.RegionAsync("eu", client)).Load.Report!.Cpu);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task BadCertificateFile_StopsTheStart()
    {
        var folder = Infrastructure.TempFolder.Create();
        try
        {
            string certFile = Path.Combine(folder, "api.crt"), keyFile = Path.Combine(folder, "api.key");
            await File.WriteAllTextAsync(certFile, "not a certificate");
            await File.WriteAllTextAsync(keyFile, "not a key");
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(extra: new Dictionary<string, string?>
            {
                ["Server:ApiTlsCert"] = certFile,
                ["Server:ApiTlsKey"] = keyFile,
            }));
            Assert.StartsWith($"API TLS: cannot load certificate '{certFile}' with key '{keyFile}'", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StatusVerb_PrintsTheTable_WithARowPerRegion()
    {
        await using var s = await StartAsync();
        using (var eu = Client(EuSecret)) Assert.Equal(System.Net.HttpStatusCode.NoContent, (await s.ReportAsync(eu, "eu", """{"cpu":0.88}""")).StatusCode);
        using (var ops = Client(OpsSecret)) Assert.Equal(System.Net.HttpStatusCode.OK, (await s.AdminAsync(ops, "eu", "drain")).StatusCode);
        for (int i = 0; i < 4; i++) Assert.Equal("us", await s.SteeredAsync("10.1.0.0/24"));

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int? code = await Task.Run(() => CommandVerbs.TryRun(["status", "--api", s.Api.ToString()], stdout, stderr));
        Assert.True(code == 0, stderr.ToString());
        var lines = stdout.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^SERVICE\s+REGION\s+HEALTH\s+ADMIN\s+LOAD\s+SHED\s+REPORT\s+ANSWERS$", lines[0]);
        Assert.Matches(@"^www\.example\.com\s+eu\s+up\s+drain \(api\)\s+0\.88\s+53%\s+\d+s ago\s+0%$", lines[1]);
        Assert.Matches(@"^\s+us\s+up\s+active\s+-\s+0%\s+none\s+100%$", lines[2]);
        // Columns line up: each header starts where its values start.
        Assert.Equal(lines[0].IndexOf("REGION", StringComparison.Ordinal), lines[1].IndexOf("eu", StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("REGION", StringComparison.Ordinal), lines[2].IndexOf("us", StringComparison.Ordinal));
    }

    [Fact]
    public void StatusVerb_AgainstNoServer_ExitsOneWithOneLine()
    {
        int port = StandInLb.FreePort(IPAddress.Loopback);
        var stderr = new StringWriter();
        Assert.Equal(1, CommandVerbs.TryRun(["status", "--api", $"http://127.0.0.1:{port}"], new StringWriter(), stderr));
        var text = stderr.ToString().ReplaceLineEndings("\n");
        Assert.StartsWith($"gslbdns status: cannot read status from http://127.0.0.1:{port}/: ", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Count(c => c == '\n'));
    }
}
