using GslbDns.Api;
using GslbDns.Cluster;
using GslbDns.Metrics;
using GslbDns.Configuration;
using GslbDns.Cookies;
using GslbDns.Observability;
using GslbDns.RateLimiting;
using GslbDns.Health;
using GslbDns.Health.Probes;
using GslbDns.Listening;
using GslbDns.Load;
using GslbDns.Pipeline;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.State;
using GslbDns.Tapping;
using GslbDns.Transfer;
using GslbDns.Tsig;
using GslbDns.Zones;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Hosting;

/// <summary>All service wiring of the server in one place.</summary>
public static class GslbDnsServiceCollectionExtensions
{
    /// <summary>What stopping may take beyond the shutdown grace: the API, health and load loops.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddGslbDns(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new ServerOptions();
        configuration.GetSection(ServerOptions.Section).Bind(options);
        var problems = ServerOptionsValidator.Validate(options);
        if (problems.Count > 0)
        {
            throw new ServerOptionsException(problems);
        }

        services.AddSingleton(options);
        // Stopping waits for TCP queries in flight up to the grace; the host's own deadline for all
        // services to stop leaves room after it for the API and the background loops.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = ServerOptionsValidator.ShutdownGrace(options) + ShutdownMargin);
        services.AddSingleton<ZoneStore>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new RegionStateStore(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LoadLedger(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GeoDatabaseWatcher(
            new GeoDatabaseSources(options.GeoIp.Count > 0 ? options.GeoIp : GeoDatabaseSources.Default.Paths),
            Directory.GetCurrentDirectory(), sp.GetRequiredService<ILogger<GeoDatabaseWatcher>>())
        {
            Ledger = sp.GetRequiredService<LoadLedger>(),
        });
        // Read when first needed, before the zones load (transfer.yaml is checked against the key
        // names): a bad key file stops the server like a bad zone does. Re-read while serving.
        services.AddSingleton<TsigKeyFileService>();
        services.AddSingleton(sp => sp.GetRequiredService<TsigKeyFileService>().Store);
        services.AddSingleton(sp => new TransferConfig(sp.GetRequiredService<TsigKeyStore>()));
        services.AddSingleton<IZoneTransfer, ZoneTransferService>();
        services.AddSingleton<NotifyService>();
        services.AddSingleton(sp =>
        {
            var geo = sp.GetRequiredService<GeoDatabaseWatcher>();
            var loader = new ZoneCatalogLoader(sp.GetRequiredService<ZoneStore>(), sp.GetRequiredService<RegionStateStore>(), options.Zones, () => geo.Current,
                sp.GetRequiredService<ILogger<ZoneCatalogLoader>>())
            {
                Ledger = sp.GetRequiredService<LoadLedger>(),
                Transfers = sp.GetRequiredService<TransferConfig>(),
            };
            // New key names: transfer.yaml is checked again against them.
            sp.GetRequiredService<TsigKeyFileService>().Reloaded += loader.RecheckTransferRules;
            return loader;
        });
        if (options.Cookies)
        {
            // Read when the query path is built, before any socket answers: a bad secrets file stops
            // the server like a bad zone does. Re-read while serving.
            services.AddSingleton<CookieSecretFileService>();
            services.AddSingleton(sp => sp.GetRequiredService<CookieSecretFileService>().Cookies);
        }
        if (options.Rrl.Enabled)
        {
            services.AddSingleton(sp =>
            {
                var rrl = options.Rrl;
                Log.RrlEnabled(sp.GetRequiredService<ILogger<ResponseRateLimiter>>(), rrl.ResponsesPerSecond, rrl.PrefixV4, rrl.PrefixV6,
                    rrl.NxdomainsPerSecond ?? rrl.ResponsesPerSecond, rrl.ErrorsPerSecond ?? rrl.ResponsesPerSecond, rrl.WindowSeconds, rrl.Slip,
                    rrl.LogOnly ? " (log only)" : "");
                return new ResponseRateLimiter(rrl, sp.GetRequiredService<TimeProvider>());
            });
        }
        services.AddSingleton<SteeringStep>();
        ServerOptionsValidator.TryNsid(options.Nsid, out var nsid, out _);
        services.AddSingleton(new QueryPipelineOptions
        {
            MaxUdpPayload = options.MaxUdpPayload,
            ServerId = ServerOptionsValidator.ServerId(options),
            ServerVersion = ServerOptionsValidator.ServerVersion(options),
            Nsid = nsid,
        });
        services.AddSingleton<QueryPipeline>();
        services.AddSingleton<IQueryHandler>(sp => sp.GetRequiredService<QueryPipeline>());

        // Health checks: a room of their own, feeding steering through the state store.
        services.AddSingleton(sp => ProbeSet.CreateDefault(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<HealthMonitor>();
        services.AddSingleton<HealthService>();

        // Pull mode: the server fetches the load of regions that cannot push it.
        services.AddSingleton<ILoadFetcher, LoadFetcher>();
        services.AddSingleton<LoadPuller>();

        // The HTTP API on its own listener.
        services.AddSingleton<ServerReadiness>();
        services.AddSingleton<IApiEndpoints, ProbeEndpoints>();
        services.AddSingleton<HealthReport>();
        services.AddSingleton<IApiEndpoints, HealthEndpoints>();
        services.AddSingleton<StatusReport>();
        services.AddSingleton<IApiEndpoints, StatusEndpoints>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<ApiDrainStore>();
        services.AddSingleton<ApiRequests>();
        services.AddSingleton<IApiEndpoints, LoadEndpoints>();
        services.AddSingleton<IApiEndpoints, DrainEndpoints>();
        services.AddSingleton<IApiEndpoints, ChangesEndpoints>();
        services.AddSingleton<IApiEndpoints, StatusPageEndpoints>();
        services.AddSingleton<ApiHost>();

        // Several instances as one: state shared through etcd, fed into the state store beside the query path.
        var cluster = ClusterSettings.From(options);
        if (cluster is not null)
        {
            // Read before anything starts: a bad credentials file stops the server like a bad zone does.
            var credentials = EtcdCredentialsFor(cluster);
            services.AddSingleton(cluster);
            services.AddSingleton(sp => new ClusterService(cluster, credentials, sp.GetRequiredService<RegionStateStore>(),
                sp.GetRequiredService<ApiDrainStore>(), sp.GetRequiredService<HealthMonitor>(), sp.GetRequiredService<ApiHost>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ClusterService>>()));
        }

        // Metrics: counted on the query path by a tap, read on each scrape of GET /metrics.
        if (options.Metrics)
        {
            services.AddSingleton<QueryMetrics>();
            services.AddSingleton<IQueryTap>(sp => sp.GetRequiredService<QueryMetrics>());
            services.AddSingleton<GslbDnsMeter>();
            services.AddSingleton<PrometheusExposition>();
            services.AddSingleton<IApiEndpoints, MetricsEndpoints>();
        }

        // Start order matters: API drains are in the state store before the zones load (the first
        // answers honour them), zones are loaded, tokens read, then checks start and the API binds,
        // before any DNS socket answers.
        services.AddSingleton<ZoneReloadService>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiDrainStore>());
        services.AddHostedService(sp => sp.GetRequiredService<TsigKeyFileService>());
        if (options.Cookies) services.AddHostedService(sp => sp.GetRequiredService<CookieSecretFileService>());
        services.AddHostedService(sp => sp.GetRequiredService<ZoneReloadService>());
        services.AddHostedService(sp => sp.GetRequiredService<NotifyService>());
        services.AddHostedService(sp => sp.GetRequiredService<ApiTokenService>());
        services.AddHostedService(sp => sp.GetRequiredService<HealthService>());
        // After the zones and checks (the shared keys are found by their names, the lease sized by the
        // check intervals), before the API takes requests that write to it.
        if (cluster is not null) services.AddHostedService(sp => sp.GetRequiredService<ClusterService>());
        services.AddHostedService(sp => sp.GetRequiredService<LoadPuller>());
        services.AddHostedService(sp => sp.GetRequiredService<ApiHost>());
        services.AddSingleton(sp => new NativeHeapTrimmer(sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService(sp => sp.GetRequiredService<NativeHeapTrimmer>());
        services.AddHostedService<ProgramPageRelease>();
        // Query log and dnstap: before the listeners, so their writers start first and stop last.
        services.AddQueryTaps(options);
        services.AddDnsListeners(ServerOptionsValidator.ToListenerOptions(options));
        return services;
    }

    private static EtcdCredentials? EtcdCredentialsFor(ClusterSettings cluster)
    {
        if (cluster.CredentialsFile is null) return null;
        var (credentials, problems) = EtcdCredentials.Read(cluster.CredentialsFile);
        if (credentials is null)
        {
            throw new ZoneLoadException($"{problems.Count} error(s) in etcd credentials file '{cluster.CredentialsFile}', first: {problems[0]}", problems);
        }
        return credentials;
    }
}
