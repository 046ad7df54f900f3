namespace GslbDns.Health.Probes;

/// <summary>
/// <c>check: tcp</c>: the address is up when a TCP connection opens; it is closed again at once.
/// Cancellation (the check's timeout, shutdown) throws <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class TcpProbe(TimeProvider? time = null) : IHealthProbe
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public CheckKind Kind => CheckKind.Tcp;

    public async Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellation)
    {
        long start = _time.GetTimestamp();
        var (socket, failure) = await ProbeSocket.ConnectAsync(target, System.Net.Sockets.ProtocolType.Tcp, cancellation).ConfigureAwait(false);
        var latency = _time.GetElapsedTime(start);
        if (socket is null) return ProbeResult.Fail(failure!, latency);
        ProbeSocket.Close(socket);
        return ProbeResult.Ok("connected", latency);
    }
}
