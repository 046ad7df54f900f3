using System.Net;
using System.Net.Sockets;
using GslbDns.Listening;
using GslbDns.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.IntegrationTests.Listening;

public sealed class UdpListenerTests
{
    // Batched (recvmmsg/sendmmsg on Linux) and one datagram per call (the portable loop).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Udp_RoundTripOnIPv4Loopback(bool batching)
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback, batching);
        using var client = new UdpClientSocket(server.Endpoint);
        var query = Messages.Query(0x1234);

        client.Send(query);

        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveAsync());
    }

    [Fact]
    public async Task Udp_RoundTripOnIPv6Loopback()
    {
        if (!HasIPv6Loopback())
        {
            return; // Nothing to test on a machine without ::1.
        }
        await using var server = await RunningListeners.StartAsync(IPAddress.IPv6Loopback);
        using var client = new UdpClientSocket(server.Endpoint);
        var query = Messages.Query(0x4321);

        client.Send(query);

        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveAsync());
    }

    [Theory]
    [InlineData(4000, true)]
    [InlineData(65000, true)]
    [InlineData(4000, false)]
    [InlineData(65000, false)]
    public async Task Udp_LargeQueryIsReceivedWhole(int length, bool batching)
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback, batching);
        using var client = new UdpClientSocket(server.Endpoint);
        var query = Messages.Query(7, length);

        client.Send(query);

        var reply = await client.ReceiveAsync();
        Assert.Equal(length, reply.Length);
        Assert.Equal(Messages.ExpectedReply(query), reply);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Udp_HandlerReturningZeroSendsNoReplyAndKeepsServing(bool batching)
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback, batching);
        using var client = new UdpClientSocket(server.Endpoint);

        client.Send(Messages.Query(1, marker: EchoHandler.DropMarker));
        client.Send(Messages.Query(2));

        // Loopback keeps datagram order, so a reply to the dropped query would arrive first.
        Assert.Equal(2, Messages.Id(await client.ReceiveAsync()));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Udp_HandlerSeesUdpTransportAndClientAddress(bool batching)
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback, batching);
        using var client = new UdpClientSocket(server.Endpoint);

        client.Send(Messages.Query(3));
        await client.ReceiveAsync();

        var context = Assert.Single(server.Handler.Contexts);
        Assert.Equal(Transport.Udp, context.Transport);
        Assert.True(context.Client.IsIPv4);
        Assert.Equal(IPAddress.Loopback, context.Client.ToIPAddress());
    }

    [Fact]
    public async Task Udp_SeveralThreadsPerEndpointAllServe()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            UdpThreadsPerEndpoint = 3,
        });
        // Different source ports spread over the SO_REUSEPORT sockets.
        for (ushort id = 0; id < 24; id++)
        {
            using var client = new UdpClientSocket(server.Endpoint);
            var query = Messages.Query(id);
            client.Send(query);
            Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveAsync());
        }
    }

    [Fact]
    public async Task Udp_WildcardRepliesFromTheAddressQueried()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Any);
        var loopback = new IPEndPoint(IPAddress.Loopback, server.Endpoint.Port);
        Assert.Contains(loopback, server.Listeners.UdpEndpoints);
        Assert.DoesNotContain(server.Listeners.UdpEndpoints, e => e.Address.Equals(IPAddress.Any));

        // The connected client accepts only datagrams from 127.0.0.1:port.
        using var client = new UdpClientSocket(loopback);
        var query = Messages.Query(9);
        client.Send(query);

        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveAsync());
    }

    [Fact]
    public void Udp_StopEndsThreadsBlockedInReceive()
    {
        var listener = new UdpListener(new IPEndPoint(IPAddress.Loopback, 0),
            new ListenerOptions { Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)], UdpThreadsPerEndpoint = 2 },
            new EchoHandler(), NullLogger.Instance);
        listener.Bind(0);
        listener.Start();

        Assert.True(listener.Stop(TimeSpan.FromSeconds(10)));
    }

    internal static bool HasIPv6Loopback()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return false;
        }
        try
        {
            using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
