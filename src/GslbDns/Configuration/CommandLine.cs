namespace GslbDns.Configuration;

/// <summary>
/// Maps the server's command-line options onto configuration keys. Done by hand because the
/// generic host's parser keeps only the last of repeated options, and --listen repeats.
/// </summary>
public static class CommandLine
{
    public const string Usage = """
        Usage:
          gslbdns [options]                 serve the zones folder over UDP and TCP
          gslbdns check [DIR]               validate a zones folder (default: zones); exit 1 on errors
          gslbdns explain NAME [--client IP | --subnet CIDR] [--type T] [--zones DIR] [--geoip PATH]
                  [--server ADDR:PORT]
                                            show how a steered name is answered, step by step
          gslbdns status [--api URL] [--token-file F]
                                            services, regions, health, drains, load and answer shares
                                            of a running server (default --api: http://127.0.0.1:8053)
          gslbdns drain SERVICE/REGION --token-file F [--api URL]
          gslbdns undrain SERVICE/REGION --token-file F [--api URL]
                                            drain a region over the API (kept in the state folder)
          gslbdns healthcheck [--ready] [--api URL]
                                            exit 0 if a running server's /healthz (with --ready: /readyz)
                                            answers 200, else 1 (Docker's HEALTHCHECK)
          gslbdns geoip build SRC OUT.mmdb  write a MaxMind DB file from a JSON or CSV source
          gslbdns report --to URL... --service NAME --region NAME --token-file FILE [--interval 5s]
                  [--haproxy-stats URL|SOCKET] [--haproxy-backend NAME] [--capacity N] [--cgroup DIR]
                  [--ttl SECS] [--timeout 2s] [--once]
                                            push this load balancer's load to GslbDns servers' APIs
          gslbdns --help                    this text

        Options (also GSLBDNS_Server__<Name> environment variables or appsettings.json "Server"):
          --zones DIR               zone files, one zone per *.zone file, with their policies and
                                    transfer.yaml (default: zones)
          --geoip PATH              GeoIP database (.mmdb) or folder of them; repeatable (default: geoip)
          --listen ADDR:PORT        address to serve on, UDP and TCP; repeatable; IPv6 as [::1]:5353
                                    (default: 127.0.0.1:5353 and [::1]:5353)
          --max-udp-payload N       largest UDP reply in bytes, 512-65535 (default: 1232)
          --udp-threads N           UDP sockets and threads per address (default: 1)
          --tcp-idle-timeout SECS   close idle TCP connections after SECS (default: 10)
          --tcp-max-connections N   concurrent TCP connections (default: 256)
          --tcp-max-connections-per-client N  of them from one client address (default: 16)
          --api-listen ADDR:PORT    HTTP API and status (GET /api/v1/health ...), or none
                                    (default: 127.0.0.1:8053); see docs/api.md
          --api-tokens FILE         API tokens (YAML) for load reports and drains; re-read on change
                                    and SIGHUP; outside the zones folder (default: none, writes get 401)
          --tsig-keys FILE          TSIG keys for zone transfers and NOTIFY, as tsig-keygen writes them
                                    (key "name" { algorithm hmac-sha256; secret "..."; };); re-read on change and SIGHUP;
                                    outside the zones folder; zones/transfer.yaml says who may transfer
          --api-tls-cert PEM        serve the API over HTTPS with this certificate ...
          --api-tls-key PEM         ... and this private key (both or neither)
          --state-dir DIR           run-time state kept across restarts (API drains)
                                    (default: "state" beside the zones folder)
          --shutdown-grace TIME     on SIGTERM or SIGINT: /readyz turns 503, the listeners close, and TCP
                                    queries in flight get this long to be answered (default: 5s)
          --no-watch                neither watch nor poll the zones folder (SIGHUP still reloads)
          --no-metrics              do not count queries nor serve GET /metrics (default: on)
          --cookie-secret-file FILE DNS Cookie secrets: 32 hex digits per line, the first signs, all
                                    verify; the same file on every instance; re-read on change and SIGHUP
                                    (default: random per process)
          --no-cookies              do not answer DNS Cookies (RFC 7873) (default: on)
          --server-id TEXT          id.server / hostname.bind CH TXT: host, TEXT or none (default: host)
          --server-version TEXT     version.server / version.bind: none, auto or TEXT (default: none)
          --nsid TEXT               NSID (RFC 5001) when asked: none, host, TEXT or hex:HEX (default: none)
          --rrl-responses-per-second N  response rate limit per client block and name/type, UDP
                                    only (default: 0, off); see README "Response rate limiting"
          --rrl-nxdomains-per-second N  NXDOMAIN limit per zone and block (default: responses rate)
          --rrl-errors-per-second N     error limit per block (default: responses rate)
          --rrl-window SECS         how long a flood's excess is remembered (default: 15)
          --rrl-slip N              every Nth limited reply is sent truncated; 0 never (default: 2)
          --rrl-prefix-v4 N         IPv4 client block (default: 24)
          --rrl-prefix-v6 N         IPv6 client block (default: 56)
          --rrl-exempt CIDR         never limit these clients; repeatable
          --rrl-log-only            count and log what would be limited, answer everything
          --rrl-table-size N        rate-limit accounts kept, allocated at start (default: 65536)
          --no-udp-batch            one UDP datagram per system call (default on Linux: recvmmsg/sendmmsg)
          --query-log PATH|-        one JSON line per query, appended to PATH (reopened on SIGHUP)
                                    or written to stdout; see docs/query-log.md (default: none)
          --query-log-sample N      log 1 in N queries (default: 1, every query)
          --dnstap unix:PATH|file:PATH
                                    dnstap of every query and response to a collector's socket
                                    or a Frame Streams file (default: none)
          --cluster-etcd URL[,URL...]  share load reports, API drains, health votes and members with
                                    other instances through etcd (default: none, this instance alone);
                                    see README "Running several instances"
          --instance-name NAME      this instance among the members (default: the host name)
          --cluster-prefix PREFIX   etcd key prefix (default: /gslbdns/)
          --cluster-etcd-cert PEM   TLS client certificate for etcd ...
          --cluster-etcd-key PEM    ... and its private key (both or neither)
          --cluster-etcd-ca PEM     certificate authority of etcd's servers
          --cluster-etcd-credentials FILE  etcd user and password ("user: NAME", "password: SECRET")
          --cluster-stale-after TIME  etcd unreachable this long: health goes by this instance's own
                                    checks only (default: 5s)
          --log-level LEVEL         Trace, Debug, Information, Warning, Error (default: Information)
        """;

    /// <summary>Converts options to configuration pairs; returns an error message for anything unknown.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out Dictionary<string, string?> settings, out string? error)
    {
        settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        error = null;
        int listenCount = 0, geoIpCount = 0, exemptCount = 0;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string name = arg;
            string? inlineValue = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                inlineValue = arg[(eq + 1)..];
            }
            if (name == "--no-watch")
            {
                settings["Server:WatchZones"] = "false";
                continue;
            }
            if (name == "--rrl-log-only")
            {
                settings["Server:Rrl:LogOnly"] = "true";
                continue;
            }
            if (name == "--no-cookies")
            {
                settings["Server:Cookies"] = "false";
                continue;
            }
            if (name == "--no-metrics")
            {
                settings["Server:Metrics"] = "false";
                continue;
            }
            if (name == "--no-udp-batch")
            {
                settings["Server:UdpBatch"] = "false";
                continue;
            }
            string? key = name switch
            {
                "--zones" => "Server:Zones",
                "--listen" => $"Server:Listen:{listenCount++}",
                "--geoip" => $"Server:GeoIp:{geoIpCount++}",
                "--max-udp-payload" => "Server:MaxUdpPayload",
                "--udp-threads" => "Server:UdpThreads",
                "--tcp-idle-timeout" => "Server:TcpIdleTimeoutSeconds",
                "--tcp-max-connections" => "Server:TcpMaxConnections",
                "--tcp-max-connections-per-client" => "Server:TcpMaxConnectionsPerClient",
                "--log-level" => "Logging:LogLevel:Default",
                "--api-listen" => "Server:ApiListen",
                "--api-tokens" => "Server:ApiTokens",
                "--tsig-keys" => "Server:TsigKeys",
                "--api-tls-cert" => "Server:ApiTlsCert",
                "--api-tls-key" => "Server:ApiTlsKey",
                "--state-dir" => "Server:StateDir",
                "--cookie-secret-file" => "Server:CookieSecretFile",
                "--server-id" => "Server:ServerId",
                "--server-version" => "Server:ServerVersion",
                "--nsid" => "Server:Nsid",
                "--rrl-responses-per-second" => "Server:Rrl:ResponsesPerSecond",
                "--rrl-nxdomains-per-second" => "Server:Rrl:NxdomainsPerSecond",
                "--rrl-errors-per-second" => "Server:Rrl:ErrorsPerSecond",
                "--rrl-window" => "Server:Rrl:WindowSeconds",
                "--rrl-slip" => "Server:Rrl:Slip",
                "--rrl-prefix-v4" => "Server:Rrl:PrefixV4",
                "--rrl-prefix-v6" => "Server:Rrl:PrefixV6",
                "--rrl-exempt" => $"Server:Rrl:Exempt:{exemptCount++}",
                "--rrl-table-size" => "Server:Rrl:TableSize",
                "--query-log" => "Server:QueryLog",
                "--query-log-sample" => "Server:QueryLogSample",
                "--dnstap" => "Server:Dnstap",
                "--shutdown-grace" => "Server:ShutdownGrace",
                "--cluster-etcd" => "Server:ClusterEtcd",
                "--instance-name" => "Server:InstanceName",
                "--cluster-prefix" => "Server:ClusterPrefix",
                "--cluster-etcd-cert" => "Server:ClusterEtcdCert",
                "--cluster-etcd-key" => "Server:ClusterEtcdKey",
                "--cluster-etcd-ca" => "Server:ClusterEtcdCa",
                "--cluster-etcd-credentials" => "Server:ClusterEtcdCredentials",
                "--cluster-stale-after" => "Server:ClusterStaleAfter",
                _ => null,
            };
            if (key is null)
            {
                error = $"unknown option '{arg}' (see --help)";
                return false;
            }
            string? value = inlineValue;
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"option '{name}' needs a value";
                    return false;
                }
                value = args[++i];
            }
            settings[key] = value;
        }
        return true;
    }
}
