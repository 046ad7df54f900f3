using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GslbDns.Health;
using GslbDns.Health.Probes;

namespace GslbDns.Tests.Health;

internal static class ProbeTesting
{
    public const string Service = "www.example.test.";

    /// <summary>Generous: the CI box has two noisy cores.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public static ProbeTarget Target(IPEndPoint endpoint, HealthCheckSpec spec) => new(endpoint, spec, Service);

    public static Task<ProbeResult> Probe(IHealthProbe probe, IPEndPoint endpoint, HealthCheckSpec spec)
    {
        using var cts = new CancellationTokenSource(Deadline);
        return probe.ProbeAsync(Target(endpoint, spec), cts.Token);
    }

    /// <summary>Runs a probe against a target that never answers, cancelled after 300 ms; returns how long it took to end.</summary>
    /// <param name="wait">Long enough for the request to reach the server even on a loaded machine (a TLS handshake is slow there).</param>
    public static async Task<TimeSpan> CancelledAfterShortWait(IHealthProbe probe, IPEndPoint endpoint, HealthCheckSpec spec, int wait = 1000)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(wait));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.ProbeAsync(Target(endpoint, spec), cts.Token));
        return watch.Elapsed;
    }

    public static async Task Eventually(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Deadline, "condition not reached before the deadline");
            await Task.Delay(10);
        }
    }

    /// <summary>A loopback port with nothing listening on it (bound and released).</summary>
    public static IPEndPoint ClosedPort(SocketType type = SocketType.Stream)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Dgram ? ProtocolType.Udp : ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>127.0.0.2 when this machine lets a socket bind to it (Linux loopback is a /8), else null.</summary>
    public static IPAddress? SecondLoopback()
    {
        var address = IPAddress.Parse("127.0.0.2");
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, 0));
            return address;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
