using System.Net.Sockets;
using System.Net;
using GslbDns.Listening;
using GslbDns.Pipeline;

namespace GslbDns.IntegrationTests.Listening;

public sealed class TcpListenerTests
{
    private static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Tcp_MessageSplitAcrossTwoWritesIsAnswered()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var query = Messages.Query(0x0101, 40);
        var framed = Messages.Framed(query);

        await client.SendAsync(framed[..20]);
        await Task.Yield();
        await client.SendAsync(framed[20..]);

        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Tcp_RoundTripOnIPv6Loopback()
    {
        if (!UdpListenerTests.HasIPv6Loopback())
        {
            return; // Nothing to test on a machine without ::1.
        }
        await using var server = await RunningListeners.StartAsync(IPAddress.IPv6Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var query = Messages.Query(0x0606);

        await client.SendAsync(Messages.Framed(query));

        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveMessageAsync());
        Assert.False(Assert.Single(server.Handler.Contexts).Client.IsIPv4);
    }

    [Fact]
    public async Task Tcp_LengthPrefixSplitAcrossTwoWritesIsAnswered()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var query = Messages.Query(0x0102);
        var framed = Messages.Framed(query);

        await client.SendAsync(framed[..1]);
        await Task.Yield();
        await client.SendAsync(framed[1..]);

        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Tcp_TwoMessagesInOneWriteAreAnsweredInOrder()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var first = Messages.Query(1);
        var second = Messages.Query(2, 60);

        await client.SendAsync(Messages.Framed(first, second));

        Assert.Equal(Messages.ExpectedReply(first), await client.ReceiveMessageAsync());
        Assert.Equal(Messages.ExpectedReply(second), await client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Tcp_TwentyPipelinedQueriesAreAnsweredInOrder()
    {
        // More than TcpMaxPipelined, so replies go out in more than one write.
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpMaxPipelined = 8,
        });
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var queries = Enumerable.Range(100, 20).Select(id => Messages.Query((ushort)id, 20 + id)).ToArray();

        await client.SendAsync(Messages.Framed(queries));

        foreach (var query in queries)
        {
            Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveMessageAsync());
        }
    }

    [Fact]
    public async Task Tcp_LargeMessagesAreReceivedWhole()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var large = Messages.Query(1, 65535);
        var small = Messages.Query(2);

        await client.SendAsync(Messages.Framed(small, large, small));

        Assert.Equal(Messages.ExpectedReply(small), await client.ReceiveMessageAsync());
        Assert.Equal(Messages.ExpectedReply(large), await client.ReceiveMessageAsync());
        Assert.Equal(Messages.ExpectedReply(small), await client.ReceiveMessageAsync());
    }

    [Fact]
    public async Task Tcp_HandlerReturningZeroSendsNoReplyAndConnectionStaysOpen()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);

        await client.SendAsync(Messages.Framed(Messages.Query(1, marker: EchoHandler.DropMarker)));
        await client.SendAsync(Messages.Framed(Messages.Query(2)));

        Assert.Equal(2, Messages.Id(await client.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Tcp_HandlerSeesTcpTransportAndClientAddress()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);

        await client.SendAsync(Messages.Framed(Messages.Query(1)));
        await client.ReceiveMessageAsync();

        var context = Assert.Single(server.Handler.Contexts);
        Assert.Equal(Transport.Tcp, context.Transport);
        Assert.Equal(IPAddress.Loopback, context.Client.ToIPAddress());
    }

    [Fact]
    public async Task Tcp_IdleConnectionAfterAQuery_IsClosedWithFinAfterTimeout()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpIdleTimeout = TimeSpan.FromMilliseconds(300),
        });
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        await client.SendAsync(Messages.Framed(Messages.Query(1)));
        await client.ReceiveMessageAsync();

        Assert.True(await client.WaitForEndOfStreamAsync(CloseDeadline));
    }

    [Fact]
    public async Task Tcp_IdleConnectionWithoutAQuery_IsClosedWithFinAfterTimeout()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpIdleTimeout = TimeSpan.FromMilliseconds(300),
        });
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);

        Assert.True(await client.WaitForEndOfStreamAsync(CloseDeadline));
        // The listener itself still serves.
        using var control = await ConnectAndQueryAsync(server.Endpoint);
    }

    [Fact]
    public async Task Tcp_QueryLeftUnfinishedIsClosedAfterTimeout()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpIdleTimeout = TimeSpan.FromSeconds(1), // room for a reply on a busy machine before the stalled query times out
        });
        // The TCP path answers once before the timed connection opens: a first answer that waits on
        // the JIT of a busy machine must not count as the idle time this test is about.
        using (await ConnectAndQueryAsync(server.Endpoint))
        {
        }
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var query = Messages.Query(1);
        var framed = Messages.Framed(query, query);

        // One whole query and the start of the next: the reply comes, then the stalled query times out.
        await client.SendAsync(framed[..(framed.Length - 5)]);

        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveMessageAsync());
        Assert.True(await client.WaitForCloseAsync(CloseDeadline));
    }

    [Fact]
    public async Task Tcp_ConnectionsBeyondTheLimitAreClosed()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpMaxConnections = 2,
        });
        var first = await ConnectAndQueryAsync(server.Endpoint);
        using var second = await ConnectAndQueryAsync(server.Endpoint);

        using (var third = await TcpClientConnection.ConnectAsync(server.Endpoint))
        {
            Assert.True(await third.WaitForCloseAsync(CloseDeadline));
        }

        // Closing one frees its place.
        first.Dispose();
        await PollAsync(() => server.Listeners.OpenTcpConnections < 2);
        using var fourth = await ConnectAndQueryAsync(server.Endpoint);
        // The surviving connection kept working throughout.
        await second.SendAsync(Messages.Framed(Messages.Query(5)));
        Assert.Equal(5, Messages.Id(await second.ReceiveMessageAsync()));
    }

    [Fact]
    public async Task Tcp_OneClientAddress_GetsItsShareOnly_OthersStillConnect()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpMaxConnections = 10,
            TcpMaxConnectionsPerClient = 2,
        });
        var greedy = IPAddress.Parse("127.0.0.1");
        using var first = await ConnectAndQueryAsync(server.Endpoint);
        using var second = await ConnectAndQueryAsync(server.Endpoint);
        using (var third = await TcpClientConnection.ConnectAsync(server.Endpoint, greedy))
        {
            Assert.True(await third.WaitForCloseAsync(CloseDeadline));
        }
        // Another address is another client: it still gets in while the first holds its two.
        using var other = await TcpClientConnection.ConnectAsync(server.Endpoint, IPAddress.Parse("127.0.0.2"));
        await other.SendAsync(Messages.Framed(Messages.Query(7)));
        Assert.Equal(7, Messages.Id(await other.ReceiveMessageAsync()));
        Assert.Equal(1, server.Listeners.RefusedTcpConnectionsPerClient);
        Assert.Equal(0, server.Listeners.RefusedTcpConnections);
    }

    [Fact]
    public async Task Tcp_AQuerySentOneByteAtATime_IsCutAtTheTimeout_NotKeptAliveByTheTrickle()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpIdleTimeout = TimeSpan.FromSeconds(1),
        });
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var framed = Messages.Framed(Messages.Query(9));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool cut = false;
        // One byte every 400 ms: the whole query would take over 10 s, the timeout is 1 s for all of it.
        foreach (byte b in framed)
        {
            try
            {
                await client.SendAsync([b]);
            }
            catch (SocketException)
            {
                cut = true;
                break;
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(6)) break;
            await Task.Delay(400);
        }
        Assert.True(cut || await client.WaitForCloseAsync(CloseDeadline), "the trickling client was not cut");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"cut only after {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Tcp_AClientThatNeverReadsItsReplies_IsCutAtTheTimeout()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpIdleTimeout = TimeSpan.FromSeconds(1),
        });
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint, receiveBuffer: 4096);
        // Queries with ever more replies owed: once both sides' buffers are full the server's send stalls.
        var burst = Enumerable.Range(0, 2000).SelectMany(i => Messages.Framed(Messages.Query((ushort)i))).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool cut = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                await client.SendAsync(burst).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                cut = e is SocketException;
                break;
            }
        }
        Assert.True(cut || await client.WaitForCloseAsync(CloseDeadline), "the client that never reads was not cut");
        await PollAsync(() => server.Listeners.OpenTcpConnections == 0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Tcp_LengthBelowHeaderSizeClosesConnection(int length)
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);

        await client.SendAsync([0, (byte)length, .. new byte[length]]);

        Assert.True(await client.WaitForCloseAsync(CloseDeadline));
    }

    [Fact]
    public async Task Tcp_LengthAboveMaximumClosesConnection()
    {
        await using var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            TcpMaxMessageSize = 512,
        });
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);

        await client.SendAsync(Messages.Framed(Messages.Query(1, 513)));

        Assert.True(await client.WaitForCloseAsync(CloseDeadline));
    }

    [Fact]
    public async Task Tcp_ShutdownClosesOpenConnectionsAndStopCompletes()
    {
        var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var idle = await TcpClientConnection.ConnectAsync(server.Endpoint);
        using var used = await ConnectAndQueryAsync(server.Endpoint);
        await PollAsync(() => server.Listeners.OpenTcpConnections == 2);

        await server.Listeners.StopAsync(CancellationToken.None).WaitAsync(CloseDeadline);

        Assert.True(await idle.WaitForEndOfStreamAsync(CloseDeadline));
        Assert.True(await used.WaitForEndOfStreamAsync(CloseDeadline));
        Assert.Equal(0, server.Listeners.OpenTcpConnections);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Tcp_ShutdownFinishesTheReplyInProgressThenCloses()
    {
        await using var server = await RunningListeners.StartAsync(IPAddress.Loopback);
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        var held = Messages.Query(1, marker: EchoHandler.HoldMarker);
        await client.SendAsync(Messages.Framed(held));
        Assert.True(server.Handler.WaitUntilHolding(CloseDeadline));

        var stopping = server.Listeners.StopAsync(CancellationToken.None);
        server.Handler.Release();
        await stopping.WaitAsync(CloseDeadline);

        Assert.Equal(Messages.ExpectedReply(held), await client.ReceiveMessageAsync());
        Assert.True(await client.WaitForCloseAsync(CloseDeadline));
    }

    [Fact]
    public async Task Tcp_ShutdownCutsConnectionsThatOutlastTheTimeout()
    {
        var server = await RunningListeners.StartAsync(new ListenerOptions
        {
            Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            ShutdownTimeout = TimeSpan.FromMilliseconds(200),
        });
        using var client = await TcpClientConnection.ConnectAsync(server.Endpoint);
        await client.SendAsync(Messages.Framed(Messages.Query(1, marker: EchoHandler.HoldMarker)));
        Assert.True(server.Handler.WaitUntilHolding(CloseDeadline));

        var stopping = server.Listeners.StopAsync(CancellationToken.None);
        Assert.True(await client.WaitForCloseAsync(CloseDeadline));
        server.Handler.Release();
        await stopping.WaitAsync(CloseDeadline);
        await server.DisposeAsync();
    }

    private static async Task<TcpClientConnection> ConnectAndQueryAsync(IPEndPoint endpoint)
    {
        var client = await TcpClientConnection.ConnectAsync(endpoint);
        var query = Messages.Query(42);
        await client.SendAsync(Messages.Framed(query));
        Assert.Equal(Messages.ExpectedReply(query), await client.ReceiveMessageAsync());
        return client;
    }

    private static async Task PollAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + CloseDeadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met before the deadline");
            await Task.Delay(10);
        }
    }
}
