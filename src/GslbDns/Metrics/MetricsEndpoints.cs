using GslbDns.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GslbDns.Metrics;

/// <summary><c>GET /metrics</c>: the Prometheus scrape, read-only and without a token like the other reads.</summary>
public sealed class MetricsEndpoints(PrometheusExposition exposition) : IApiEndpoints
{
    public void Map(WebApplication app)
    {
        app.MapGet("/metrics", () => Results.Text(exposition.Write(), PrometheusExposition.ContentType));
    }
}
