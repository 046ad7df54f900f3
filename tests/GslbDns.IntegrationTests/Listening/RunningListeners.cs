using System.Net;
using GslbDns.Listening;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.IntegrationTests.Listening;

/// <summary>Started listeners on loopback that stop when disposed.</summary>
internal sealed class RunningListeners : IAsyncDisposable
{
    private RunningListeners(DnsServerListeners listeners, EchoHandler handler)
    {
        Listeners = listeners;
        Handler = handler;
    }

    public DnsServerListeners Listeners { get; }

    public EchoHandler Handler { get; }

    public IPEndPoint Endpoint => Listeners.BoundEndpoints[0];

    public static async Task<RunningListeners> StartAsync(ListenerOptions options)
    {
        var handler = new EchoHandler();
        var listeners = new DnsServerListeners(options, handler, NullLogger<DnsServerListeners>.Instance);
        await listeners.StartAsync(CancellationToken.None);
        return new RunningListeners(listeners, handler);
    }

    public static Task<RunningListeners> StartAsync(IPAddress address, bool batching = true) =>
        StartAsync(new ListenerOptions { Endpoints = [new IPEndPoint(address, 0)], UdpBatching = batching });

    public async ValueTask DisposeAsync()
    {
        Handler.Release();
        await Listeners.DisposeAsync();
    }
}
