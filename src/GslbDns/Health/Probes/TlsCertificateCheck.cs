using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace GslbDns.Health.Probes;

/// <summary>
/// The TLS side of an https probe: SNI is the check's host; with <c>tls-verify</c> the certificate
/// must chain to a trusted root and name that host, otherwise any certificate is accepted. It
/// remembers why a certificate was refused so the detail can say so (<c>TLS: untrusted root</c>).
/// </summary>
internal sealed class TlsCertificateCheck
{
    private static readonly RemoteCertificateValidationCallback AcceptAny = static (_, _, _, _) => true;
    private static readonly List<SslApplicationProtocol> Http11 = [SslApplicationProtocol.Http11];

    private SslPolicyErrors _errors;
    private X509ChainStatusFlags _chain;

    /// <param name="trustedRoots">Roots to trust instead of the system store; null: the system store.</param>
    public SslClientAuthenticationOptions Options(string host, bool verify, X509Certificate2Collection? trustedRoots)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = Http11,
            // Revocation lists and OCSP would mean network calls to third parties from every probe.
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = verify ? Check : AcceptAny,
        };
        if (verify && trustedRoots is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(trustedRoots);
            options.CertificateChainPolicy = policy;
        }
        return options;
    }

    private bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _errors = errors;
        if (chain is not null)
        {
            foreach (var status in chain.ChainStatus) _chain |= status.Status;
        }
        return errors == SslPolicyErrors.None;
    }

    /// <summary>The reason for a failed handshake, after <c>TLS: </c>.</summary>
    public string Describe(Exception e)
    {
        if (_errors != SslPolicyErrors.None)
        {
            var reasons = new List<string>(3);
            if (_errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) reasons.Add("no certificate");
            if (_errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) reasons.Add("certificate name mismatch");
            if (_errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)) reasons.Add(DescribeChain(_chain));
            return string.Join(", ", reasons);
        }
        return e switch
        {
            IOException { InnerException: SocketException s } => $"handshake failed: {s.SocketErrorCode}",
            IOException => "connection closed during handshake",
            AuthenticationException { InnerException: { } inner } => "handshake failed: " + inner.Message,
            _ => "handshake failed: " + e.Message,
        };
    }

    private static string DescribeChain(X509ChainStatusFlags flags) => flags switch
    {
        _ when flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) => "untrusted root",
        _ when flags.HasFlag(X509ChainStatusFlags.PartialChain) => "incomplete chain",
        _ when flags.HasFlag(X509ChainStatusFlags.NotTimeValid) => "certificate expired or not yet valid",
        _ when flags.HasFlag(X509ChainStatusFlags.Revoked) => "certificate revoked",
        _ when flags.HasFlag(X509ChainStatusFlags.NotSignatureValid) => "bad certificate signature",
        X509ChainStatusFlags.NoError => "certificate chain invalid",
        _ => "certificate chain invalid: " + flags,
    };
}
