using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GslbDns.Api;

/// <summary><c>GET /api/v1/status</c>: read-only, no token.</summary>
public sealed class StatusEndpoints(StatusReport report) : IApiEndpoints
{
    public void Map(WebApplication app)
    {
        app.MapGet("/api/v1/status", () => Results.Json(report.Build(), StatusJsonContext.Default.StatusDocument));
    }
}
