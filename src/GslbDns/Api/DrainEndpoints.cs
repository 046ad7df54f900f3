using GslbDns.Observability;
using GslbDns.Steering.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GslbDns.Api;

/// <summary>
/// <c>POST /api/v1/regions/{service}/{region}/drain</c> and <c>/undrain</c>, for admin tokens:
/// 401 token, 404 region, 403 not admin; then 200 with the region's override after the change.
/// Both are idempotent. They combine with zones/admin-state.yaml: the file's down wins, else either drain.
/// </summary>
/// <remarks>
/// Clustered, the change is made in etcd first (compare-and-swap) and only then here; when etcd cannot
/// be reached the answer is 503 and nothing changes anywhere.
/// </remarks>
public sealed class DrainEndpoints(ApiRequests requests, ApiDrainStore drains, RegionStateStore state, ILogger<DrainEndpoints> logger,
    Cluster.ClusterService? cluster = null) : IApiEndpoints
{
    public void Map(WebApplication app)
    {
        app.MapPost("/api/v1/regions/{service}/{region}/drain", (RequestDelegate)(http => HandleAsync(http, drain: true)));
        app.MapPost("/api/v1/regions/{service}/{region}/undrain", (RequestDelegate)(http => HandleAsync(http, drain: false)));
    }

    private async Task HandleAsync(HttpContext http, bool drain)
    {
        try
        {
            string service = (string)http.Request.RouteValues["service"]!, region = (string)http.Request.RouteValues["region"]!;
            if (requests.Authenticate(http, out var token) is { } unauthorised)
            {
                await requests.RefuseAsync(http, unauthorised).ConfigureAwait(false);
                return;
            }
            if (requests.FindRegion(service, region, out var key, out _) is { } unknown)
            {
                await requests.RefuseAsync(http, unknown).ConfigureAwait(false);
                return;
            }
            if (!token.Admin)
            {
                await requests.RefuseAsync(http, new ApiRequests.Refusal(StatusCodes.Status403Forbidden,
                    $"token '{token.Name}' may not {(drain ? "drain" : "undrain")} regions (it needs 'admin: true' in the tokens file)"), token.Name).ConfigureAwait(false);
                return;
            }
            bool before = drains.IsDrained(key);
            if (cluster is not null)
            {
                try
                {
                    await cluster.Drains.SetAsync(key, drain, token.Name, http.RequestAborted).ConfigureAwait(false);
                }
                catch (Cluster.ClusterUnavailableException e)
                {
                    await ApiRequests.ErrorAsync(http, StatusCodes.Status503ServiceUnavailable, e.Message).ConfigureAwait(false);
                    return;
                }
            }
            drains.Set(key, drain, token.Name);
            if (before != drain) Log.ApiDrainChanged(logger, ApiRequests.Text(key), drain ? "drained" : "undrained", token.Name);
            await http.Response.WriteAsJsonAsync(View(state, key), StatusJsonContext.Default.AdminStateView).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            await requests.FailedAsync(http, e).ConfigureAwait(false);
        }
    }

    public static AdminStateView View(RegionStateStore state, RegionKey key)
    {
        var (file, api) = state.AdminSourcesOf(key);
        return new AdminStateView(ApiRequests.Text(key.Service), key.Region, state.AdminOf(key).ToString().ToLowerInvariant(),
            new AdminSourcesView(file.ToString().ToLowerInvariant(), api));
    }
}
