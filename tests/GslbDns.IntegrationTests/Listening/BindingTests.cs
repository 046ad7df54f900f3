using System.Net;
using System.Net.Sockets;
using GslbDns.Listening;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.IntegrationTests.Listening;

public sealed class BindingTests
{
    [Fact]
    public async Task Start_PortZeroGivesUdpAndTcpTheSamePort()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        var endpoint = server.Endpoint;
        Assert.NotEqual(0, endpoint.Port);
        Assert.Equal([endpoint], server.Listeners.UdpEndpoints);

        using var udp = new UdpClientSocket(endpoint);
        udp.Send(Messages.Query(1));
        Assert.Equal(1, Messages.Id(await udp.ReceiveAsync()));
        using var tcp = await TcpClientConnection.ConnectAsync(endpoint);
        await tcp.SendAsync(Messages.Framed(Messages.Query(2)));
        Assert.Equal(2, Messages.Id(await tcp.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Start_UdpPortInUseFailsWithOneLineNamingIt()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)occupant.LocalEndPoint!;

        var failure = await Assert.ThrowsAsync<ListenerBindException>(() => StartAsync(taken));

        Assert.Equal($"127.0.0.1:{taken.Port}/udp: address already in use", failure.Message);
        // The TCP socket bound before the failure was released.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(taken);
    }

    [Fact]
    public async Task Start_TcpPortInUseFailsWithOneLineNamingIt()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        var taken = (IPEndPoint)occupant.LocalEndPoint!;

        var failure = await Assert.ThrowsAsync<ListenerBindException>(() => StartAsync(taken));

        Assert.Equal($"127.0.0.1:{taken.Port}/tcp: address already in use", failure.Message);
    }

    [Fact]
    public async Task Start_FailureOnALaterEndpointReleasesTheEarlierOnes()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)occupant.LocalEndPoint!;
        var free = FreeTcpAndUdpPort();

        await Assert.ThrowsAsync<ListenerBindException>(() => StartAsync(new IPEndPoint(IPAddress.Loopback, free), taken));

        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, free));
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, free));
    }

    [Fact]
    public async Task Start_SecondServerOnTheSamePortFailsEvenWithSeveralUdpThreads()
    {
        var options = new ListenerOptions { Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)], UdpThreadsPerEndpoint = 2 };
        await using var first = await RunningListeners.StartAsync(options);

        var failure = await Assert.ThrowsAsync<ListenerBindException>(() =>
            RunningListeners.StartAsync(options with { Endpoints = [first.Endpoint] }));

        Assert.Equal(first.Endpoint, failure.Endpoint);
        Assert.Equal(SocketError.AddressAlreadyInUse, failure.Error);
    }

    [Fact]
    public async Task Start_InvalidOptionsReportEveryProblem()
    {
        var options = new ListenerOptions
        {
            Endpoints = [],
            UdpThreadsPerEndpoint = 0,
            TcpIdleTimeout = TimeSpan.Zero,
            TcpMaxMessageSize = 70000,
        };
        var listeners = new DnsServerListeners(options, new EchoHandler(), NullLogger<DnsServerListeners>.Instance);

        var failure = await Assert.ThrowsAsync<ArgumentException>(() => listeners.StartAsync(CancellationToken.None));

        Assert.Contains("Endpoints", failure.Message);
        Assert.Contains("UdpThreadsPerEndpoint: 0", failure.Message);
        Assert.Contains("TcpIdleTimeout", failure.Message);
        Assert.Contains("TcpMaxMessageSize: 70000", failure.Message);
    }

    private static async Task StartAsync(params IPEndPoint[] endpoints)
    {
        var listeners = new DnsServerListeners(new ListenerOptions { Endpoints = endpoints }, new EchoHandler(),
            NullLogger<DnsServerListeners>.Instance);
        try
        {
            await listeners.StartAsync(CancellationToken.None);
        }
        finally
        {
            await listeners.DisposeAsync();
        }
    }

    private static int FreeTcpAndUdpPort()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }
}
