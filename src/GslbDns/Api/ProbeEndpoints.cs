using GslbDns.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GslbDns.Api;

/// <summary>
/// <c>GET /healthz</c> (the process answers: 200 <c>ok</c>) and <c>GET /readyz</c> (200 <c>ready</c>
/// when <see cref="ServerReadiness"/> says so, else 503 with the reason), for Docker's HEALTHCHECK,
/// Kubernetes' probes and load balancers. No token: they tell nothing but up or not.
/// </summary>
public sealed class ProbeEndpoints(ServerReadiness readiness) : IApiEndpoints
{
    public const string HealthzPath = "/healthz";
    public const string ReadyzPath = "/readyz";

    public void Map(WebApplication app)
    {
        app.MapGet(HealthzPath, () => Results.Text("ok\n"));
        app.MapGet(ReadyzPath, () =>
        {
            var (ready, reason) = readiness.Check();
            return ready ? Results.Text("ready\n") : Results.Text($"not ready: {reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
