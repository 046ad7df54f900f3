using System.Collections.Immutable;
using System.Net;
using GslbDns.Steering.State;

namespace GslbDns.Health;

/// <summary>An HTTP status range of <c>expect.status</c>, inclusive at both ends ("200-399", or 204 alone).</summary>
public readonly record struct StatusRange(int Low, int High)
{
    public bool Contains(int status) => status >= Low && status <= High;

    public override string ToString() => Low == High ? Low.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Low}-{High}";
}

/// <summary>
/// One health check as the policy declares it, after defaults, service and region keys are merged
/// (the nearer one wins, key by key). Plain data: what the probes and the tracker need, nothing of
/// their run-time state. Two specs with the same <see cref="Identity"/> are the same check, which is
/// how a reload keeps a check's verdict and schedule.
/// </summary>
public sealed record HealthCheckSpec
{
    public static readonly ImmutableArray<StatusRange> DefaultStatus = [new StatusRange(200, 399)];

    public CheckKind Kind { get; init; } = CheckKind.None;

    /// <summary>Port to probe; 0 means the kind's default (80 http, 443 https and tcp, 53 dns).</summary>
    public int Port { get; init; }

    /// <summary>HTTP request path, starting with '/'.</summary>
    public string Path { get; init; } = "/";

    /// <summary>HTTP Host header and TLS SNI; null means the service name.</summary>
    public string? Host { get; init; }

    /// <summary>"GET" or "HEAD".</summary>
    public string Method { get; init; } = "GET";

    public ImmutableArray<StatusRange> ExpectStatus { get; init; } = DefaultStatus;

    /// <summary>A substring the HTTP body must contain; null: any body.</summary>
    public string? ExpectBody { get; init; }

    /// <summary>https only: the certificate must validate for <see cref="Host"/>.</summary>
    public bool TlsVerify { get; init; } = true;

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Probe this often while a verdict is changing; null: use <see cref="Interval"/>.</summary>
    public TimeSpan? FastInterval { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Successes in a row to become up.</summary>
    public int Rise { get; init; } = 2;

    /// <summary>Failures in a row to become down.</summary>
    public int Fall { get; init; } = 3;

    /// <summary>The verdict before the first probes decide.</summary>
    public HealthStatus Initial { get; init; } = HealthStatus.Up;

    /// <summary>Probe this address instead of each of the region's addresses (a private health endpoint).</summary>
    public IPAddress? Address { get; init; }

    /// <summary>Local address the probe connects from (multi-homed hosts); null: the system's choice.</summary>
    public IPAddress? Source { get; init; }

    /// <summary>dns checks: the name asked; null: the service name.</summary>
    public string? QueryName { get; init; }

    /// <summary>
    /// How many clustered instances must see an address down (<c>agree</c>); not part of
    /// <see cref="Identity"/>, since changing it changes no probe.
    /// </summary>
    public AgreeRule Agree { get; init; } = AgreeRule.Quorum;

    /// <summary>dns checks: the type asked.</summary>
    public RecordType QueryType { get; init; } = RecordType.A;

    /// <summary>The port actually probed.</summary>
    public int EffectivePort => Port != 0 ? Port : Kind switch
    {
        CheckKind.Http => 80,
        CheckKind.Dns => 53,
        _ => 443,
    };

    /// <summary>Everything that makes two checks the same check, as one comparable string.</summary>
    public string Identity => string.Join('|', Kind, EffectivePort, Path, Host, Method, string.Join(',', ExpectStatus), ExpectBody,
        TlsVerify, Interval.Ticks, FastInterval?.Ticks, Timeout.Ticks, Rise, Fall, Initial, Address, Source, QueryName, QueryType);

    /// <summary>The short form used in logs and explain: <c>http :80/healthz every 1s</c>.</summary>
    public override string ToString() => Kind switch
    {
        CheckKind.None => "none",
        CheckKind.Http or CheckKind.Https => $"{Kind.ToString().ToLowerInvariant()} {Method} :{EffectivePort}{Path} every {Durations.Format(Interval)}",
        CheckKind.Dns => $"dns {QueryName ?? "(service)"}/{QueryType} :{EffectivePort} every {Durations.Format(Interval)}",
        _ => $"{Kind.ToString().ToLowerInvariant()} :{EffectivePort} every {Durations.Format(Interval)}",
    };
}
