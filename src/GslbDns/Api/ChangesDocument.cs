using System.Text.Json;
using System.Text.Json.Serialization;

namespace GslbDns.Api;

/// <summary>The body of <c>GET /api/v1/changes</c>: the latest changes of region state, newest first.</summary>
public sealed record ChangesDocument(DateTimeOffset Time, IReadOnlyList<ChangeView> Changes);

/// <param name="Sequence">Grows by one per change since the server started.</param>
/// <param name="Kind"><c>health</c>, <c>api-drain</c>, <c>agent-drain</c>, <c>admin-file</c> or <c>shedding</c>.</param>
/// <param name="Address">The address whose verdict changed (health only).</param>
/// <param name="Detail">The probe result, the token that drained, <c>admin-state.yaml</c>, the load.</param>
public sealed record ChangeView(
    long Sequence,
    DateTimeOffset Time,
    string Kind,
    string Service,
    string Region,
    string? Address,
    string From,
    string To,
    string? Detail);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChangesDocument))]
public sealed partial class ChangesJsonContext : JsonSerializerContext;
