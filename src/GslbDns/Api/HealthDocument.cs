using System.Text.Json;
using System.Text.Json.Serialization;

namespace GslbDns.Api;

/// <summary>The body of <c>GET /api/v1/health</c>: every steered service, its regions and their addresses.</summary>
public sealed record HealthDocument(DateTimeOffset Time, IReadOnlyList<ServiceHealth> Services);

public sealed record ServiceHealth(
    string Service,
    string Zone,
    bool Degraded,
    uint Ttl,
    uint TtlUnhealthy,
    IReadOnlyList<RegionHealth> Regions);

public sealed record RegionHealth(
    string Region,
    string Target,
    string Health,
    string Admin,
    string Check,
    IReadOnlyList<AddressHealthView> Addresses);

/// <param name="Probed">The endpoint the check connects to (the address itself, or the region's health.address).</param>
/// <param name="Verdict">up, down or unknown (what steering uses).</param>
/// <param name="LastResult">The last probe's outcome (<c>HTTP 200</c>, <c>connect refused</c>, <c>timeout 500 ms</c>).</param>
public sealed record AddressHealthView(
    string Address,
    string? Probed,
    string Verdict,
    DateTimeOffset? Since,
    string? Reason,
    string? LastResult,
    bool? LastSuccess,
    double? LatencyMs,
    DateTimeOffset? LastProbe,
    int Successes,
    int Failures,
    string? Agree = null,
    IReadOnlyList<VoteView>? Votes = null);

/// <summary>
/// Clustered: one live instance's own verdict on an address (this instance's included); the
/// address's <c>verdict</c> is the region's <c>agree</c> rule over them.
/// </summary>
public sealed record VoteView(string Instance, string Verdict, bool Self = false);

/// <summary>An error body of a rejected request.</summary>
public sealed record ApiError(string Error);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthDocument))]
[JsonSerializable(typeof(ApiError))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
