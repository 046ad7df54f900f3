using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GslbDns.Health;
using GslbDns.Health.Probes;
using static GslbDns.Tests.Health.ProbeTesting;

namespace GslbDns.Tests.Health;

public sealed class HttpsProbeTests : IDisposable
{
    private const string Host = "lb.example.test";
    private static readonly HealthCheckSpec Spec = new() { Kind = CheckKind.Https, Host = Host, Path = "/healthz" };

    private readonly X509Certificate2 _certificate = SelfSigned(Host);

    public void Dispose() => _certificate.Dispose();

    private static X509Certificate2 SelfSigned(string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // The server needs the key in a form SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task Verify_RefusesAnUntrustedCertificate()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200), _certificate);
        var result = await Probe(new HttpProbe(CheckKind.Https), server.Endpoint, Spec);
        Assert.False(result.Success);
        Assert.Equal("TLS: untrusted root", result.Detail);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task NoVerify_AcceptsAnyCertificate_AndSendsTheHostAsSni()
    {
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200), _certificate);
        var result = await Probe(new HttpProbe(CheckKind.Https), server.Endpoint, Spec with { TlsVerify = false });
        Assert.True(result.Success, result.Detail);
        Assert.Equal("HTTP 200", result.Detail);
        Assert.Equal([Host], server.ServerNames);
        Assert.True(server.Requests.TryPeek(out var request));
        Assert.Contains($"\r\nHost: {Host}\r\n", request);
    }

    [Fact]
    public async Task Verify_WithTheRootTrusted_ChecksTheName()
    {
        var probe = new HttpProbe(CheckKind.Https, trustedRoots: [_certificate]);
        await using var server = new TestHttpServer(_ => TestHttpServer.Response(200), _certificate);
        var good = await Probe(probe, server.Endpoint, Spec);
        var wrongName = await Probe(probe, server.Endpoint, Spec with { Host = "other.example.test" });
        Assert.True(good.Success, good.Detail);
        Assert.Equal("TLS: certificate name mismatch", wrongName.Detail);
        Assert.Equal([Host, "other.example.test"], server.ServerNames);
    }

    [Fact]
    public async Task ServerSilentAfterTheHandshake_EndsPromptlyOnCancellation()
    {
        await using var server = new TestHttpServer(_ => null, _certificate);
        var took = await CancelledAfterShortWait(new HttpProbe(CheckKind.Https), server.Endpoint, Spec with { TlsVerify = false }, wait: 2000);
        Assert.True(took < Deadline, $"took {took}");
        Assert.Single(server.Requests);
    }
}
