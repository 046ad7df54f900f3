using System.Net;
using GslbDns.Listening;
using GslbDns.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.IntegrationTests.Listening;

public sealed class AllocationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Udp_ServingAQueryAllocatesNothingOnTheReceiveThread(bool batching)
    {
        const int warmUp = 300;
        const int measured = 300;
        var handler = new AllocationProbe(warmUp + measured);
        var listeners = new DnsServerListeners(new ListenerOptions { Endpoints = [new IPEndPoint(IPAddress.Loopback, 0)], UdpBatching = batching },
            handler, NullLogger<DnsServerListeners>.Instance);
        await listeners.StartAsync(CancellationToken.None);
        try
        {
            using var client = new UdpClientSocket(listeners.BoundEndpoints[0]);
            for (var i = 0; i < warmUp + measured; i++)
            {
                client.Send(Messages.Query((ushort)i));
                await client.ReceiveAsync();
            }
        }
        finally
        {
            await listeners.DisposeAsync();
        }

        // The handler runs on the receive thread, so the thread's allocation counter between two
        // queries covers one full receive, handle and send. The runtime may allocate once while it
        // recompiles the loop (tiered JIT), so the measured queries are split into windows: an
        // allocation per query would show in every window, a one-off in one.
        const int window = 50;
        long fewest = long.MaxValue;
        for (int start = warmUp; start + window < warmUp + measured; start += window)
        {
            fewest = Math.Min(fewest, handler.AllocatedAt[start + window] - handler.AllocatedAt[start]);
        }
        Assert.Equal(0, fewest);
    }

    private sealed class AllocationProbe(int queries) : IQueryHandler
    {
        private int _count;

        public long[] AllocatedAt { get; } = new long[queries];

        public int Handle(ReadOnlySpan<byte> query, Span<byte> response, in RequestContext context)
        {
            AllocatedAt[_count++] = GC.GetAllocatedBytesForCurrentThread();
            query.CopyTo(response);
            return query.Length;
        }
    }
}
