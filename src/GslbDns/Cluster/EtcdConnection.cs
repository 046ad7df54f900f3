using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;

namespace GslbDns.Cluster;

/// <summary>
/// gRPC channels to etcd's members, one per endpoint, used one at a time: a call that finds its
/// member unreachable moves the next call on to the next endpoint, so losing one member costs one
/// failed call. Every unary call carries a deadline, so nothing waits on a dead member for long.
/// With a credentials file it authenticates (etcd's Auth API) and sends the token with each call,
/// authenticating again when etcd says the token is no longer valid.
/// </summary>
public sealed class EtcdConnection : IDisposable
{
    /// <summary>How long one call may take before the member counts as unreachable.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    private readonly ClusterSettings _settings;
    private readonly EtcdCredentials? _credentials;
    private readonly GrpcChannel?[] _channels;
    private readonly object _gate = new();
    private int _current;
    private string? _token;

    public EtcdConnection(ClusterSettings settings, EtcdCredentials? credentials)
    {
        _settings = settings;
        _credentials = credentials;
        _channels = new GrpcChannel?[settings.Endpoints.Count];
    }

    /// <summary>The endpoint the next call goes to.</summary>
    public Uri Endpoint
    {
        get
        {
            lock (_gate) return _settings.Endpoints[_current];
        }
    }

    /// <summary>The clients of the current member and the headers to send (the auth token; for watches, require a leader).</summary>
    public async Task<EtcdClients> ClientsAsync(CancellationToken token)
    {
        GrpcChannel channel;
        lock (_gate) channel = _channels[_current] ??= Open(_settings.Endpoints[_current]);
        var headers = new Metadata();
        if (_credentials is not null)
        {
            string? auth;
            lock (_gate) auth = _token;
            if (auth is null)
            {
                var reply = await new Auth.AuthClient(channel).AuthenticateAsync(
                    new AuthenticateRequest { Name = _credentials.User, Password = _credentials.Password },
                    deadline: DateTime.UtcNow + CallTimeout, cancellationToken: token).ConfigureAwait(false);
                auth = reply.Token;
                lock (_gate) _token = auth;
            }
            headers.Add("token", auth);
        }
        return new EtcdClients(new KV.KVClient(channel), new Watch.WatchClient(channel), new Lease.LeaseClient(channel), headers);
    }

    /// <summary>
    /// Called with the error of a failed call: an unreachable member moves on to the next endpoint;
    /// a rejected token is dropped so the next call authenticates again.
    /// </summary>
    public void Failed(Exception error)
    {
        lock (_gate)
        {
            if (error is RpcException { StatusCode: StatusCode.Unauthenticated } || error.Message.Contains("invalid auth token", StringComparison.Ordinal))
            {
                _token = null;
                return;
            }
            _current = (_current + 1) % _channels.Length;
        }
    }

    /// <summary>The deadline of a unary call started now.</summary>
    public static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    private GrpcChannel Open(Uri endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = CallTimeout,
            // Pings find a member that vanished without closing the connection (a cut cable, a
            // frozen VM), so the watch stream on it fails and moves on instead of waiting forever.
            KeepAlivePingDelay = TimeSpan.FromSeconds(2),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(2),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
        };
        if (endpoint.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = new SslClientAuthenticationOptions();
            if (_settings.CertFile is not null && _settings.KeyFile is not null)
            {
                handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(_settings.CertFile, _settings.KeyFile)];
            }
            if (_settings.CaFile is not null)
            {
                var authority = X509CertificateLoader.LoadCertificateFromFile(_settings.CaFile);
                handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null) return false;
                    if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                };
            }
        }
        return GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = handler,
            Credentials = endpoint.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            DisposeHttpClient = true,
        });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var channel in _channels) channel?.Dispose();
        }
    }
}

/// <summary>The clients of one etcd member and the headers every call sends.</summary>
public sealed record EtcdClients(KV.KVClient Kv, Watch.WatchClient Watch, Lease.LeaseClient Lease, Metadata Headers)
{
    /// <summary>Headers for a watch: also <c>hasleader</c>, so a member cut off from the others ends the watch instead of going quiet.</summary>
    public Metadata WatchHeaders()
    {
        var headers = new Metadata();
        foreach (var entry in Headers) headers.Add(entry);
        headers.Add("hasleader", "true");
        return headers;
    }
}
