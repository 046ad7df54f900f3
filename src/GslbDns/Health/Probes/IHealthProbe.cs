using System.Net;

namespace GslbDns.Health.Probes;

/// <summary>
/// One kind of check. A probe opens a fresh connection every time (a kept-alive one would hide a
/// dead listener), honours <paramref name="cancellation"/> in every wait (the scheduler cancels it
/// at the check's timeout and at shutdown) and reports failures as results, never as exceptions.
/// The one exception is cancellation itself: once the token fires the probe ends promptly by
/// throwing <see cref="OperationCanceledException"/>, so the scheduler can tell a timeout (or a
/// shutdown) from a failure the target reported.
/// </summary>
public interface IHealthProbe
{
    CheckKind Kind { get; }

    Task<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken cancellation);
}

/// <summary>What to probe: where, with which check, and the service name for Host/SNI/query defaults.</summary>
public sealed record ProbeTarget(IPEndPoint Endpoint, HealthCheckSpec Spec, string ServiceName);

/// <summary>
/// The outcome of one probe. <see cref="Detail"/> is short and operator-facing: <c>connect refused</c>,
/// <c>HTTP 503</c>, <c>body lacks "ok"</c>, <c>HTTP 200</c>, <c>connected</c>.
/// </summary>
public readonly record struct ProbeResult(bool Success, string Detail, TimeSpan Latency)
{
    public static ProbeResult Ok(string detail, TimeSpan latency) => new(true, detail, latency);

    public static ProbeResult Fail(string detail, TimeSpan latency) => new(false, detail, latency);
}
