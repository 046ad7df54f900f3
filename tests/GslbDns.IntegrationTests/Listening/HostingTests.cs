using System.Net;
using System.Net.Sockets;
using GslbDns.Listening;
using GslbDns.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GslbDns.IntegrationTests.Listening;

public sealed class HostingTests
{
    [Fact]
    public async Task Host_ServesThroughListenersAddedWithAddDnsListeners()
    {
        using var host = BuildHost(new IPEndPoint(IPAddress.Loopback, 0));
        await host.StartAsync();

        var endpoint = Assert.Single(host.Services.GetRequiredService<DnsServerListeners>().BoundEndpoints);
        using (var client = new UdpClientSocket(endpoint))
        {
            client.Send(Messages.Query(77));
            Assert.Equal(77, Messages.Id(await client.ReceiveAsync()));
        }

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Host_StartFailsWithTheBindError()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)occupant.LocalEndPoint!;
        using var host = BuildHost(taken);

        var failure = await Assert.ThrowsAsync<ListenerBindException>(() => host.StartAsync());

        Assert.Equal($"127.0.0.1:{taken.Port}/udp: address already in use", failure.Message);
    }

    private static IHost BuildHost(IPEndPoint endpoint)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IQueryHandler, EchoHandler>();
        builder.Services.AddDnsListeners(new ListenerOptions { Endpoints = [endpoint] });
        return builder.Build();
    }
}
