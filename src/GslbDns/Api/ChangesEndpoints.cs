using System.Globalization;
using GslbDns.Steering.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GslbDns.Api;

/// <summary>
/// <c>GET /api/v1/changes[?limit=N]</c>: read-only, no token. The latest changes of health verdicts,
/// drains, admin-file entries and load shedding (50 unless <c>limit</c> says otherwise, at most
/// <see cref="StateChangeLog.Capacity"/>), newest first.
/// </summary>
public sealed class ChangesEndpoints(RegionStateStore state, TimeProvider time) : IApiEndpoints
{
    public const int DefaultLimit = 50;

    public void Map(WebApplication app)
    {
        app.MapGet("/api/v1/changes", (HttpContext http) =>
        {
            int limit = DefaultLimit;
            if (http.Request.Query.TryGetValue("limit", out var text)
                && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > StateChangeLog.Capacity))
            {
                return Results.Json(new ApiError($"limit must be a whole number from 1 to {StateChangeLog.Capacity}, found '{text}'"),
                    ApiJsonContext.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
            }
            var changes = state.Changes.Latest(limit).Select(View).ToArray();
            return Results.Json(new ChangesDocument(time.GetUtcNow(), changes), ChangesJsonContext.Default.ChangesDocument);
        });
    }

    public static ChangeView View(StateChange change) => new(change.Sequence, change.Time, Kind(change.Kind),
        change.Region.Service.ToString().TrimEnd('.'), change.Region.Region, change.Address, change.From, change.To, change.Detail);

    public static string Kind(StateChangeKind kind) => kind switch
    {
        StateChangeKind.Health => "health",
        StateChangeKind.ApiDrain => "api-drain",
        StateChangeKind.AgentDrain => "agent-drain",
        StateChangeKind.AdminFile => "admin-file",
        _ => "shedding",
    };
}
