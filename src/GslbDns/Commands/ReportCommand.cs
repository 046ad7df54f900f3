using System.Net;
using System.Runtime.InteropServices;
using GslbDns.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace GslbDns.Commands;

/// <summary>
/// <c>gslbdns report</c>: runs beside a regional load balancer and pushes its load (CPU, memory,
/// HAProxy connections and capacity) to every GslbDns server's API each interval.
/// </summary>
public static class ReportCommand
{
    /// <param name="args">The arguments after <c>report</c>.</param>
    /// <returns>0 when stopped by SIGINT/SIGTERM or when --once was accepted everywhere, 1 on failure, 2 on wrong usage.</returns>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        using var stopping = new CancellationTokenSource();
        // Handled rather than left to the runtime, so the loop ends between reports and logs that it stopped.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddSimpleConsole(o =>
            {
                // The server's format, so both read alike in a journal.
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            }));
        return RunAsync(args, stderr, loggers, TimeProvider.System, "/", stopping.Token).GetAwaiter().GetResult();

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
    }

    /// <param name="root">Prefix of /proc and /sys, "/" but in tests.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stderr, ILoggerFactory loggers,
        TimeProvider time, string root, CancellationToken stopping)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            stderr.WriteLine(ReporterOptions.Usage);
            return 2;
        }
        if (!ReporterOptions.TryParse(args, out var options, out var error))
        {
            stderr.WriteLine($"gslbdns report: {error}");
            stderr.WriteLine(ReporterOptions.Usage);
            return 2;
        }
        var token = new TokenFile(options.TokenFile);
        if (token.Read(out _, out error) is null)
        {
            stderr.WriteLine($"gslbdns report: --token-file {options.TokenFile}: {error}");
            return 1;
        }
        if (HostLoad.Create(root, options.Cgroup, time, Environment.ProcessorCount, out error) is not { } host)
        {
            stderr.WriteLine($"gslbdns report: {error}");
            return 1;
        }

        // One handler for every server and the stats page: connections are kept between reports, and
        // pooled ones are recycled now and then so a server's changed address is looked up again.
        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        var logger = loggers.CreateLogger("GslbDns.Reporting");
        var stats = options.HaproxyStats is { } location
            ? new HaproxyStatsSource(location, options.HaproxyBackend, http, time, options.Timeout)
            : null;
        var pusher = new LoadPusher(options, http, time, logger);
        var reporter = new LoadReporter(options, host, stats, token, pusher, time, logger);
        return await reporter.RunAsync(stopping);
    }
}
