using GslbDns.Configuration;
using GslbDns.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GslbDns.Tapping;

/// <summary>The query log and dnstap, each a tap on the query path and a writer thread behind it.</summary>
public static class TappingServiceCollectionExtensions
{
    /// <summary>Slots per queue: about a second of a busy server's queries before records are dropped.</summary>
    public const int QueueCapacity = 4096;

    /// <summary>dnstap slots hold whole messages, so fewer of them (8 MiB in all).</summary>
    public const int DnstapQueueCapacity = 1024;

    /// <summary>
    /// Registers the taps the options ask for. Call it before the listeners are added: hosted
    /// services stop in reverse order, so the writers stop after the last answer has been queued.
    /// </summary>
    public static IServiceCollection AddQueryTaps(this IServiceCollection services, ServerOptions options)
    {
        if (!ServerOptionsValidator.IsNone(options.QueryLog))
        {
            var queue = new TapQueue<QueryLogRecord>(QueueCapacity, QueryLogTap.PayloadBytes);
            services.AddSingleton<IQueryTap>(new QueryLogTap(queue, options.QueryLogSample));
            services.AddSingleton(sp => new QueryLogWriter(queue, new QueryLogFile(options.QueryLog!), options.QueryLogSample,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<QueryLogWriter>>()));
            services.AddHostedService(sp => sp.GetRequiredService<QueryLogWriter>());
        }
        if (!ServerOptionsValidator.IsNone(options.Dnstap) && DnstapTarget.TryParse(options.Dnstap!, out var target, out _))
        {
            var queue = new TapQueue<DnstapRecord>(DnstapQueueCapacity, DnstapTap.PayloadBytes);
            services.AddSingleton<IQueryTap>(new DnstapTap(queue));
            services.AddSingleton(sp =>
            {
                var time = sp.GetRequiredService<TimeProvider>();
                FrameStreamOutput output = target.Transport == DnstapTransport.File
                    ? new FrameStreamFile(target.Path, FrameStreamControl.DnstapContentType)
                    : new FrameStreamSocket(target.Path, FrameStreamControl.DnstapContentType, time);
                return new DnstapWriter(queue, output, new DnstapEncoder(Identity(), Version()), time, sp.GetRequiredService<ILogger<DnstapWriter>>());
            });
            services.AddHostedService(sp => sp.GetRequiredService<DnstapWriter>());
        }
        return services;
    }

    /// <summary>dnstap's identity: the host name, as BIND, knot and unbound send by default.</summary>
    private static string Identity() => System.Net.Dns.GetHostName();

    private static string Version()
    {
        var assembly = typeof(TappingServiceCollectionExtensions).Assembly;
        var version = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(assembly)?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return "GslbDns " + (plus > 0 ? version[..plus] : version);
    }
}
