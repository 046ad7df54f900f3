using GslbDns.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GslbDns.Hosting;

/// <summary>Builds the generic host for serving; used by Program and by the integration tests.</summary>
public static class ServerHost
{
    public const string EnvironmentPrefix = "GSLBDNS_";

    public static IHost Build(IReadOnlyDictionary<string, string?> settings)
    {
        // Read once at start, like every option: the options are bound when the server starts, so a
        // watcher on the binary's folder (and every folder below it) would only wake up for nothing.
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // appsettings.json ships beside the binary; relative paths in options still mean the working directory.
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
            Configuration = configuration,
        });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
            o.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        // A start-up failure is reported once, as one line on stderr (Program); the host's own
        // error log of it would repeat it with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        UseSystemdNotify(builder.Services);
        builder.Services.AddGslbDns(builder.Configuration);
        return builder.Build();
    }

    /// <summary>
    /// systemd's <c>Type=notify</c>: READY=1 on ApplicationStarted, which the host raises once every
    /// hosted service has started (zones loaded, DNS sockets bound: <see cref="ServerReadiness"/>), and
    /// STOPPING=1 when shutdown begins. Microsoft.Extensions.Hosting.Systemd 10.0 recognises systemd by its
    /// parent's <c>/proc/PPID/comm</c>, which the unit's <c>ProtectProc=invisible</c> hides from the
    /// service's own user; a service manager that sets NOTIFY_SOCKET wants the notifications all the
    /// same (the package's later versions go by NOTIFY_SOCKET too), so that is enough here.
    /// </summary>
    private static void UseSystemdNotify(IServiceCollection services)
    {
        // The journal adds its own timestamps, but the log format stays the same everywhere: the
        // simple console format configured above, not the package's systemd formatter.
        if (SystemdHelpers.IsSystemdService() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
            // SystemdLifetime stops the host on SIGTERM alone; SIGINT (Ctrl+C in `systemd-run --pty`)
            // should stop it the same graceful way.
            services.AddHostedService<InterruptSignal>();
        }
    }
}
