using System.Diagnostics.Metrics;
using System.Reflection;
using GslbDns.Api;
using GslbDns.Configuration;
using GslbDns.Health;
using GslbDns.Listening;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Metrics;

/// <summary>
/// The server's instruments, on the <see cref="System.Diagnostics.Metrics"/> meter <c>GslbDns</c>
/// (so dotnet-counters and any OpenTelemetry pipeline see them too). Every instrument is observable:
/// the query path only adds to striped cells (<see cref="QueryMetrics"/>, the state store's answer
/// counters) and the values are read when a scrape asks. Names are the Prometheus names, counters
/// without their <c>_total</c>, which the exposition adds.
/// </summary>
public sealed class GslbDnsMeter : IDisposable
{
    public const string MeterName = "GslbDns";

    private static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(1);

    private readonly Meter _meter = new(MeterName, Version);
    private readonly ZoneStore _zones;
    private readonly StatusReport _status;
    private readonly HealthMonitor _health;
    private readonly RegionStateStore _state;
    private readonly LoadLedger _ledger;
    private readonly GeoDatabaseWatcher _geo;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private MetricsSnapshot? _snapshot;

    public GslbDnsMeter(QueryMetrics queries, DnsServerListeners listeners, ZoneStore zones, StatusReport status, HealthMonitor health,
        RegionStateStore state, LoadLedger ledger, GeoDatabaseWatcher geo, TimeProvider time,
        Tapping.QueryLogWriter? queryLog = null, Tapping.DnstapWriter? dnstap = null, Cluster.ClusterService? cluster = null)
    {
        Queries = queries;
        _zones = zones;
        _status = status;
        _health = health;
        _state = state;
        _ledger = ledger;
        _geo = geo;
        _time = time;

        Counter("gslbdns_dns_requests", "DNS requests answered, by transport, client address family and query type.", () =>
            queries.Requests().Where(r => r.Count > 0).Select(r => Measure(r.Count,
                ("proto", QueryMetrics.ProtocolLabel(r.Proto)), ("family", QueryMetrics.FamilyLabel(r.Family)), ("type", QueryMetrics.TypeLabel(r.Type)))));
        Counter("gslbdns_dns_responses", "DNS responses sent, by transport and response code.", () =>
            queries.Responses().Where(r => r.Count > 0).Select(r => Measure(r.Count,
                ("proto", QueryMetrics.ProtocolLabel(r.Proto)), ("rcode", QueryMetrics.RcodeLabel(r.Rcode)))));
        Counter("gslbdns_dns_dropped", "Packets dropped without a reply (too short or not a query), by transport.", () =>
            ByProtocol(queries.Dropped));
        Counter("gslbdns_dns_truncated_responses", "Responses sent with TC=1 because the answer did not fit, by transport.", () =>
            ByProtocol(queries.Truncated));
        Counter("gslbdns_dns_ecs_requests", "Requests that carried an EDNS Client Subnet option (RFC 7871), by transport.", () =>
            ByProtocol(queries.ClientSubnet));
        Counter("gslbdns_rrl_limited_responses", "UDP replies response rate limiting acted on: dropped, slipped (sent truncated), badcookie, would_limit (log-only).", () =>
            QueryMetrics.RrlActions.Select((action, i) => Measure(queries.RateLimited(i), ("action", action))));
        Gauge("gslbdns_tcp_connections", "TCP connections open now.", () => [Measure(listeners.OpenTcpConnections)]);
        if (cluster is not null)
        {
            Gauge("gslbdns_cluster_store_up", "1 while etcd (the store the instances share) is reachable, else 0.", () =>
                [Measure(cluster.Reachability.Up ? 1 : 0)]);
            Gauge("gslbdns_cluster_store_stale", "1 once etcd has been unreachable past --cluster-stale-after: health goes by this instance's own checks.", () =>
                [Measure(cluster.Reachability.Stale ? 1 : 0)]);
            Gauge("gslbdns_cluster_members", "Instances with a live member record in etcd, as last seen.", () =>
                [Measure(cluster.Mirror.Members().Count)]);
        }
        if (queryLog is not null)
        {
            Counter("gslbdns_query_log_records", "Query log lines written, and dropped because the writer fell behind (answers never wait).", () =>
                [Measure(queryLog.Written, ("state", "written")), Measure(queryLog.Dropped, ("state", "dropped"))]);
        }
        if (dnstap is not null)
        {
            Counter("gslbdns_dnstap_messages", "dnstap queries written, dropped (writer behind or collector away), and clipped (message too big to copy).", () =>
                [Measure(dnstap.Written, ("state", "written")), Measure(dnstap.Dropped, ("state", "dropped")), Measure(dnstap.Clipped, ("state", "clipped"))]);
        }
        Counter("gslbdns_tcp_connections_refused", "TCP connections refused at a cap: all connections (--tcp-max-connections) or one client's (--tcp-max-connections-per-client).",
            () => [Measure(listeners.RefusedTcpConnections, ("cap", "total")), Measure(listeners.RefusedTcpConnectionsPerClient, ("cap", "client"))]);

        Counter("gslbdns_steering_decisions", "Steering decisions, by service, chosen region (none for all-down answers) and reason.", () =>
            Snapshot().Decisions.Where(d => d.Count > 0).Select(d => Measure(d.Count,
                ("service", Name(d.Region.Service)), ("region", d.Region.Region), ("reason", d.Reason.Label()))));

        Gauge("gslbdns_address_health", "Health of each address of each region: 1 for the state it is in, 0 for the others.", AddressHealth);
        Gauge("gslbdns_address_health_age_seconds", "Seconds since the address's health last changed (or its check started).", AddressAge);
        Counter("gslbdns_probes", "Health probes run, by check endpoint and outcome (success, failure, timeout).", Probes);
        Gauge("gslbdns_region_up", "1 when the region has a usable address (health not down), else 0.", () =>
            Regions().Select(r => Measure(r.Region.Health == "down" ? 0 : 1, r.Labels)));
        Gauge("gslbdns_region_drained", "1 when the region is drained or set down by an operator (admin file, API or agent), else 0.", () =>
            Regions().Select(r => Measure(r.Region.Admin == "active" ? 0 : 1, r.Labels)));
        Gauge("gslbdns_region_load_ratio", "The region's load as steering uses it (0..1), while a valid report is held.", () =>
            Regions().Where(r => r.Region.Load.Ratio is not null).Select(r => Measure(r.Region.Load.Ratio!.Value, r.Labels)));
        Gauge("gslbdns_region_shed_ratio", "Share of the region's client networks it sheds to other regions because of its load (0..1).", () =>
            Regions().Select(r => Measure(r.Region.Load.ShedShare, r.Labels)));
        Gauge("gslbdns_region_load_report_age_seconds", "Seconds since the region's last load report (valid or expired).", () =>
            Regions().Where(r => r.Region.Load.Report is not null).Select(r => Measure(r.Region.Load.Report!.AgeSeconds, r.Labels)));
        Gauge("gslbdns_region_load_report_valid", "1 while the region's last load report is within its ttl, 0 once it expired (load unknown).", () =>
            Regions().Where(r => r.Region.Load.Report is not null).Select(r => Measure(r.Region.Load.Report!.Valid ? 1 : 0, r.Labels)));

        Gauge("gslbdns_zone_serial", "SOA serial of each zone served.", () =>
            _zones.Current.Zones.Select(z => Measure((long)z.Zone.Serial, ("zone", Name(z.Zone.Origin)))));
        Gauge("gslbdns_zone_records", "Records of each zone served.", () =>
            _zones.Current.Zones.Select(z => Measure((long)z.Zone.RecordCount, ("zone", Name(z.Zone.Origin)))));
        Gauge("gslbdns_policy_services", "Steered services of each zone's policy in force.", () =>
            _zones.Current.Zones.Where(z => z.Steering is not null).Select(z => Measure((long)z.Steering!.Services.Length, ("zone", Name(z.Zone.Origin)))));
        foreach (var (kind, prefix, what) in new[] { (LoadedKind.Zone, "gslbdns_zone", "zone file"), (LoadedKind.Policy, "gslbdns_policy", "policy file"), (LoadedKind.GeoIp, "gslbdns_geoip", "GeoIP database") })
        {
            Gauge(prefix + "_last_load_timestamp_seconds", $"Unix time the {what} was last read and accepted.", () =>
                Snapshot().Loads.Where(l => l.Kind == kind && l.LastSuccess is not null).Select(l => Measure(l.LastSuccess!.Value.ToUnixTimeMilliseconds() / 1000.0, LoadLabels(l))));
            Counter(prefix + "_load_failures", $"Times the {what} was rejected (the last good version keeps serving).", () =>
                Snapshot().Loads.Where(l => l.Kind == kind).Select(l => Measure(l.Failures, LoadLabels(l))));
        }
        Gauge("gslbdns_geoip_database_networks", "Networks in each GeoIP database in use.", () =>
            _geo.Current.Databases.Select(d => Measure((long)d.NetworkCount, ("file", d.Path), ("type", d.DatabaseType))));
        Gauge("gslbdns_geoip_database_build_timestamp_seconds", "Build time (Unix) of each GeoIP database in use.", () =>
            _geo.Current.Databases.Select(d => Measure((double)d.BuildTime.ToUnixTimeSeconds(), ("file", d.Path), ("type", d.DatabaseType))));
        Counter("gslbdns_dotnet_gc_collections", "Garbage collections since start, by generation (the query path allocates nothing; these come from reloads and the API).", () =>
            Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => Measure(GC.CollectionCount(g), ("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        // The time the runtime held every thread (the UDP loops included) for collections: what a
        // collection costs answers in latency, which counts alone do not tell.
        Counter("gslbdns_dotnet_gc_pause_seconds", "Seconds the runtime paused every thread for garbage collections since start.", () =>
            [Measure(GC.GetTotalPauseDuration().TotalSeconds)]);
        Gauge("gslbdns_dotnet_gc_heap_bytes", "Bytes on the managed heap after the last collection.", () => [Measure(GC.GetGCMemoryInfo().HeapSizeBytes)]);
        // Committed can stay well above the heap: the collector keeps what it grew the young
        // generation to, which shows as resident memory without being a leak.
        Gauge("gslbdns_dotnet_gc_committed_bytes", "Bytes the garbage collector has committed from the system.", () => [Measure(GC.GetGCMemoryInfo().TotalCommittedBytes)]);
        // Methods the JIT compiled since start (tier-ups of hot methods included): native memory
        // that grows with it is code and the JIT's working memory, not the managed heap, so a
        // resident-memory rise during a soak can be told from a leak by whether this still climbs.
        Counter("gslbdns_dotnet_jit_methods", "Methods the JIT compiled since start, tier-ups included.", () =>
            [Measure(System.Runtime.JitInfo.GetCompiledMethodCount())]);
        Counter("gslbdns_dotnet_jit_compile_seconds", "Seconds spent compiling methods since start.", () =>
            [Measure(System.Runtime.JitInfo.GetCompilationTime().TotalSeconds)]);
        Gauge("gslbdns_build_info", "Version and commit of this build; always 1.", () =>
            [Measure(1, ("version", Version), ("commit", Commit))]);
    }

    /// <summary>This server's meter (one per host: tests run several servers in one process).</summary>
    internal Meter Meter => _meter;

    /// <summary>The query path's counters and size histograms.</summary>
    public QueryMetrics Queries { get; }

    /// <summary>Every probe histogram: (labels, stats) of each health check now running.</summary>
    internal IEnumerable<(KeyValuePair<string, object?>[] Labels, ProbeStats Stats)> ProbeHistograms() =>
        Snapshot().Checks.Where(c => c.Stats is not null).Select(c => (CheckLabels(c), c.Stats!));

    public static string Version { get; } = VersionParts().Version;

    public static string Commit { get; } = VersionParts().Commit;

    /// <summary>The snapshot of this scrape: rebuilt when older than a second, so one scrape reads one moment.</summary>
    internal MetricsSnapshot Snapshot()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_snapshot is { } fresh && now - fresh.Time < SnapshotLifetime) return fresh;
            return _snapshot = new MetricsSnapshot(now, _status.Build(), _health.Snapshot(), _state.DecisionCounts(), _ledger.Entries());
        }
    }

    /// <summary>Forgets the cached snapshot, so the next read sees the state now (a scrape starts with this).</summary>
    internal void Refresh()
    {
        lock (_gate) _snapshot = null;
    }

    private IEnumerable<Measurement<double>> AddressHealth()
    {
        foreach (var (region, labels) in Regions())
        {
            foreach (var address in region.Addresses)
            {
                foreach (var state in new[] { "up", "down", "unknown" })
                {
                    yield return Measure(address.Verdict == state ? 1 : 0, [.. labels, new("address", address.Address), new("state", state)]);
                }
            }
        }
    }

    private IEnumerable<Measurement<double>> AddressAge()
    {
        var now = Snapshot().Time;
        foreach (var (region, labels) in Regions())
        {
            foreach (var address in region.Addresses.Where(a => a.Since is not null))
            {
                yield return Measure(Math.Max(0, (now - address.Since!.Value).TotalSeconds), [.. labels, new("address", address.Address)]);
            }
        }
    }

    private IEnumerable<Measurement<double>> Probes()
    {
        foreach (var check in Snapshot().Checks)
        {
            if (check.Stats is not { } stats) continue;
            var labels = CheckLabels(check);
            for (int i = 0; i < ProbeStats.Outcomes.Length; i++)
            {
                yield return Measure(stats.Count(i), [.. labels, new("outcome", ProbeStats.Outcomes[i])]);
            }
        }
    }

    private IEnumerable<(RegionStatusView Region, KeyValuePair<string, object?>[] Labels)> Regions() =>
        Snapshot().Status.Services.SelectMany(s => s.Regions.Select(r => (r, new KeyValuePair<string, object?>[] { new("service", s.Service), new("region", r.Region) })));

    private static KeyValuePair<string, object?>[] CheckLabels(HealthCheckView check) =>
        [new("service", check.Check.ServiceName), new("region", check.Check.Key.Region), new("endpoint", check.Check.Key.Endpoint.ToString())];

    private static (string, object?)[] LoadLabels(LoadLedger.Entry entry) => entry.Kind == LoadedKind.GeoIp
        ? [("file", entry.File), ("type", entry.Name)]
        : [("zone", entry.Name.TrimEnd('.')), ("file", entry.File)];

    private static IEnumerable<Measurement<double>> ByProtocol(Func<int, long> read) =>
        [Measure(read(0), ("proto", "udp")), Measure(read(1), ("proto", "tcp"))];

    private void Counter(string name, string description, Func<IEnumerable<Measurement<double>>> observe) =>
        _meter.CreateObservableCounter(name, observe, description: description);

    private void Gauge(string name, string description, Func<IEnumerable<Measurement<double>>> observe) =>
        _meter.CreateObservableGauge(name, observe, description: description);

    private static Measurement<double> Measure(double value, params (string Key, object? Value)[] tags) =>
        new(value, tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)).ToArray());

    private static Measurement<double> Measure(double value, KeyValuePair<string, object?>[] tags) => new(value, tags);

    private static string Name(DnsName name) => name.ToString().TrimEnd('.');

    /// <summary>The informational version is "1.2.3+commit" when the build knew its git commit (SourceLink).</summary>
    private static (string Version, string Commit) VersionParts()
    {
        var informational = typeof(GslbDnsMeter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = informational.IndexOf('+');
        return plus < 0 ? (informational, "unknown") : (informational[..plus], informational[(plus + 1)..]);
    }

    public void Dispose() => _meter.Dispose();
}
