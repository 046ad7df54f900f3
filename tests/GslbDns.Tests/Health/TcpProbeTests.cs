using System.Net;
using GslbDns.Health;
using GslbDns.Health.Probes;
using static GslbDns.Tests.Health.ProbeTesting;

namespace GslbDns.Tests.Health;

public class TcpProbeTests
{
    private static readonly HealthCheckSpec Spec = new() { Kind = CheckKind.Tcp };

    [Fact]
    public async Task Listening_IsConnected_AndClosedWithFin()
    {
        await using var server = new TestHttpServer(_ => null);
        var result = await Probe(new TcpProbe(), server.Endpoint, Spec);
        Assert.Equal(ProbeResult.Ok("connected", result.Latency), result);
        Assert.True(result.Latency >= TimeSpan.Zero);
        await Eventually(() => server.Accepted == 1);
    }

    [Fact]
    public async Task ClosedPort_IsConnectRefused()
    {
        var result = await Probe(new TcpProbe(), ClosedPort(), Spec);
        Assert.False(result.Success);
        Assert.Equal("connect refused", result.Detail);
    }

    [Fact]
    public async Task Source_IsTheLocalAddressTheListenerSees()
    {
        // Skipped where 127.0.0.2 cannot be bound (loopback is a single address off Linux).
        if (SecondLoopback() is not { } source) return;
        await using var server = new TestHttpServer(_ => null);
        var result = await Probe(new TcpProbe(), server.Endpoint, Spec with { Source = source });
        Assert.True(result.Success, result.Detail);
        await Eventually(() => server.Accepted == 1);
        Assert.True(server.Peers.TryPeek(out var peer));
        Assert.Equal(source, peer.Address);
    }

    [Fact]
    public async Task SourceOfTheOtherFamily_IsAFailure()
    {
        await using var server = new TestHttpServer(_ => null);
        var result = await Probe(new TcpProbe(), server.Endpoint, Spec with { Source = IPAddress.IPv6Loopback });
        Assert.False(result.Success);
        Assert.StartsWith("source ::1 cannot reach", result.Detail);
        Assert.Equal(0, server.Accepted);
    }

    [Fact]
    public async Task CancelledBeforehand_Throws()
    {
        await using var server = new TestHttpServer(_ => null);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new TcpProbe().ProbeAsync(Target(server.Endpoint, Spec), new CancellationToken(canceled: true)));
    }
}
