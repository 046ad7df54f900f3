using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GslbDns.Api;

/// <summary><c>GET /api/v1/health</c>: read-only, every service, region and address with its verdict.</summary>
public sealed class HealthEndpoints(HealthReport report) : IApiEndpoints
{
    public void Map(WebApplication app)
    {
        app.MapGet("/api/v1/health", () => Results.Json(report.Build(), ApiJsonContext.Default.HealthDocument));
    }
}
