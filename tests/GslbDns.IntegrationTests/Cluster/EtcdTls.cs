using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Cluster;

/// <summary>
/// TLS material for a test etcd, made in-process (no openssl): a CA, a server certificate for
/// 127.0.0.1 and a client certificate it signed, and a second client certificate signed by a CA
/// etcd does not trust. PEM files in a temporary folder, as etcd and <c>--cluster-etcd-cert/-key/-ca</c> take them.
/// </summary>
public sealed class EtcdTls : IDisposable
{
    private readonly string _root = TempFolder.Create();

    private EtcdTls()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = SelfSignedCa("gslbdns test etcd CA", caKey);
        File.WriteAllText(CaFile, ca.ExportCertificatePem());

        // etcd's own gateway dials the member with the server certificate, so it is a client certificate too.
        Write(ca, "CN=etcd", serverName: IPAddress.Loopback, ServerCertFile, ServerKeyFile);
        Write(ca, "CN=gslbdns", serverName: null, ClientCertFile, ClientKeyFile);

        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rogue = SelfSignedCa("a CA etcd does not trust", rogueKey);
        Write(rogue, "CN=gslbdns", serverName: null, RogueCertFile, RogueKeyFile);
    }

    public string CaFile => Path.Combine(_root, "ca.pem");

    public string ServerCertFile => Path.Combine(_root, "server.pem");

    public string ServerKeyFile => Path.Combine(_root, "server-key.pem");

    public string ClientCertFile => Path.Combine(_root, "client.pem");

    public string ClientKeyFile => Path.Combine(_root, "client-key.pem");

    /// <summary>A client certificate signed by another CA: etcd refuses it.</summary>
    public string RogueCertFile => Path.Combine(_root, "rogue.pem");

    public string RogueKeyFile => Path.Combine(_root, "rogue-key.pem");

    public static EtcdTls Create() => new();

    /// <summary>The client certificate, for the test's own calls to etcd.</summary>
    public X509Certificate2 ClientCertificate() => X509Certificate2.CreateFromPemFile(ClientCertFile, ClientKeyFile);

    public X509Certificate2 Authority() => X509CertificateLoader.LoadCertificateFromFile(CaFile);

    private static X509Certificate2 SelfSignedCa(string name, ECDsa key)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static void Write(X509Certificate2 issuer, string subject, IPAddress? serverName, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }; // client auth
        if (serverName is not null)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1")); // server auth
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(serverName);
            request.CertificateExtensions.Add(names.Build());
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        // Inside the issuer's validity: a day from now, read a moment after the issuer's own "a day
        // from now" and cut to whole seconds like it, can end a second after it, which Create refuses.
        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(23), serial);
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
