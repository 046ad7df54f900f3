using GslbDns.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

public static class ListeningServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DnsServerListeners"/> as a singleton (to read <see cref="DnsServerListeners.BoundEndpoints"/>)
    /// and as a hosted service. An <see cref="IQueryHandler"/> must be registered as well;
    /// an <see cref="IZoneTransfer"/>, when registered, answers AXFR and IXFR on TCP connections.
    /// </summary>
    public static IServiceCollection AddDnsListeners(this IServiceCollection services, ListenerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(provider => new DnsServerListeners(
            provider.GetRequiredService<ListenerOptions>(),
            provider.GetRequiredService<IQueryHandler>(),
            provider.GetRequiredService<ILogger<DnsServerListeners>>(),
            provider.GetService<IZoneTransfer>()));
        services.AddHostedService(provider => provider.GetRequiredService<DnsServerListeners>());
        return services;
    }
}
