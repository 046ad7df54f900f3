namespace GslbDns.Configuration;

/// <summary>The "Server" configuration section (command line, GSLBDNS_ environment variables, appsettings.json).</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    public static readonly string[] DefaultListen = ["127.0.0.1:5353", "[::1]:5353"];

    /// <summary>Folder of zone files, one zone per *.zone file.</summary>
    public string Zones { get; set; } = "zones";

    /// <summary>Addresses to serve on, each over UDP and TCP; empty means <see cref="DefaultListen"/>.</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>Largest UDP reply, whatever the client's EDNS buffer size (RFC 6891 §6.2.5).</summary>
    public int MaxUdpPayload { get; set; } = 1232;

    /// <summary>UDP sockets (SO_REUSEPORT) and receive threads per listen address.</summary>
    public int UdpThreads { get; set; } = 1;

    /// <summary>Batch UDP system calls on Linux (recvmmsg/sendmmsg).</summary>
    public bool UdpBatch { get; set; } = true;

    /// <summary>Seconds a TCP connection may stay idle (RFC 7766 §6.2.3).</summary>
    public double TcpIdleTimeoutSeconds { get; set; } = 10;

    /// <summary>Concurrent TCP connections across all addresses.</summary>
    public int TcpMaxConnections { get; set; } = 256;

    /// <summary>Open TCP connections one client address may hold at once.</summary>
    public int TcpMaxConnectionsPerClient { get; set; } = 16;

    /// <summary>GeoIP databases: .mmdb files or folders of them; empty means the "geoip" folder.</summary>
    public List<string> GeoIp { get; set; } = [];

    /// <summary>The HTTP API and status listener (ADDR:PORT), or "none".</summary>
    public string ApiListen { get; set; } = DefaultApiListen;

    public const string DefaultApiListen = "127.0.0.1:8053";

    /// <summary>The API tokens file (YAML); none means every write endpoint answers 401.</summary>
    public string? ApiTokens { get; set; }

    /// <summary>TSIG keys (BIND key-file format) for zone transfers and NOTIFY; kept outside the zones folder.</summary>
    public string? TsigKeys { get; set; }

    /// <summary>PEM certificate for serving the API over HTTPS (with <see cref="ApiTlsKey"/>).</summary>
    public string? ApiTlsCert { get; set; }

    /// <summary>PEM private key of <see cref="ApiTlsCert"/>.</summary>
    public string? ApiTlsKey { get; set; }

    /// <summary>Folder of run-time state the server keeps (API drains); default: "state" beside the zones folder.</summary>
    public string? StateDir { get; set; }

    /// <summary>What id.server and hostname.bind (CH TXT) answer: "host" for the host name (the default), any text, or "none" (REFUSED).</summary>
    public string ServerId { get; set; } = "host";

    /// <summary>What version.server and version.bind answer: "none" (REFUSED, the default), "auto" for GslbDns and its version, or any text.</summary>
    public string ServerVersion { get; set; } = "none";

    /// <summary>NSID (RFC 5001) sent when asked: "none" (the default), "host" for the host name, text, or "hex:..." bytes.</summary>
    public string Nsid { get; set; } = "none";

    /// <summary>Response rate limiting of UDP replies (off unless a rate is set).</summary>
    public RateLimiting.RrlOptions Rrl { get; set; } = new();

    /// <summary>Answer DNS Cookies (RFC 7873) with interoperable server cookies (RFC 9018).</summary>
    public bool Cookies { get; set; } = true;

    /// <summary>File of 128-bit hex cookie secrets, one per line, shared by a deployment's instances; none: a random one per process.</summary>
    public string? CookieSecretFile { get; set; }

    /// <summary>Count queries on the query path and serve <c>GET /metrics</c> on the API listener.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>
    /// On SIGTERM or SIGINT, how long TCP queries in flight may take to be answered before their
    /// connections are cut (<c>5s</c>, <c>500ms</c>; a bare number is seconds).
    /// </summary>
    public string ShutdownGrace { get; set; } = DefaultShutdownGrace;

    public const string DefaultShutdownGrace = "5s";

    /// <summary>Watch the zones folder and reload on change (SIGHUP always reloads).</summary>
    public bool WatchZones { get; set; } = true;

    /// <summary>Query log: one JSON line per query to this file (appended), "-" for standard output, or none.</summary>
    public string? QueryLog { get; set; }

    /// <summary>Log 1 in this many queries.</summary>
    public int QueryLogSample { get; set; } = 1;

    /// <summary>dnstap output: "unix:PATH" (a collector's socket) or "file:PATH", or none.</summary>
    public string? Dnstap { get; set; }

    /// <summary>etcd endpoints (comma-separated URLs) that make this instance one of several sharing state; none: alone.</summary>
    public string? ClusterEtcd { get; set; }

    /// <summary>This instance's name among the cluster's members (default: the host name).</summary>
    public string? InstanceName { get; set; }

    /// <summary>The etcd key prefix under which the instances share state.</summary>
    public string ClusterPrefix { get; set; } = DefaultClusterPrefix;

    public const string DefaultClusterPrefix = "/gslbdns/";

    /// <summary>PEM client certificate for etcd (with <see cref="ClusterEtcdKey"/>).</summary>
    public string? ClusterEtcdCert { get; set; }

    /// <summary>PEM private key of <see cref="ClusterEtcdCert"/>.</summary>
    public string? ClusterEtcdKey { get; set; }

    /// <summary>PEM certificate authority that signed etcd's server certificates.</summary>
    public string? ClusterEtcdCa { get; set; }

    /// <summary>File with etcd's user and password (<c>user: NAME</c>, <c>password: SECRET</c>).</summary>
    public string? ClusterEtcdCredentials { get; set; }

    /// <summary>How long etcd may be unreachable before health falls back to this instance's own verdicts.</summary>
    public string ClusterStaleAfter { get; set; } = DefaultClusterStaleAfter;

    public const string DefaultClusterStaleAfter = "5s";
}
