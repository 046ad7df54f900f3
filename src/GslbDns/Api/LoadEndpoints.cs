using System.Buffers;
using GslbDns.Load;
using GslbDns.Observability;
using GslbDns.Steering.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace GslbDns.Api;

/// <summary>
/// <c>POST /api/v1/load/{service}/{region}</c>: a region reports its load. Checks in this order:
/// 401 token, 404 region, 403 token's patterns, 415 content type, 413 size, 400 body; then 204.
/// Authentication comes first so a caller without a token learns nothing, not even which services
/// exist; the body is read last, so nothing of an unauthorised request is parsed.
/// </summary>
/// <remarks>
/// Clustered, an accepted report is also written to etcd, and so reaches every instance: 204 then
/// means it is in etcd (shared), awaited for at most <see cref="ShareTimeout"/>. When etcd cannot be
/// reached (or not in time) the report still counts here and stays queued for etcd, and the answer is
/// 202 with <c>X-Gslbdns-Shared: pending</c>, so a reporter knows the other instances may not have it yet.
/// </remarks>
public sealed class LoadEndpoints(ApiRequests requests, RegionStateStore state, ILogger<LoadEndpoints> logger,
    Cluster.ClusterService? cluster = null) : IApiEndpoints
{
    public const int MaxBodyBytes = 4096;

    /// <summary>
    /// How long a report waits for etcd's write before it is answered as accepted but not yet shared:
    /// a write takes milliseconds while etcd is up, and this stays under the reporter's own 2 s timeout.
    /// </summary>
    public static readonly TimeSpan ShareTimeout = TimeSpan.FromMilliseconds(1500);

    public const string SharedHeader = "X-Gslbdns-Shared";

    public void Map(WebApplication app) => app.MapPost("/api/v1/load/{service}/{region}", (RequestDelegate)HandleAsync);

    private async Task HandleAsync(HttpContext http)
    {
        try
        {
            string service = (string)http.Request.RouteValues["service"]!, region = (string)http.Request.RouteValues["region"]!;
            if (requests.Authenticate(http, out var token) is { } unauthorised)
            {
                await requests.RefuseAsync(http, unauthorised).ConfigureAwait(false);
                return;
            }
            if (requests.FindRegion(service, region, out var key, out var policy) is { } unknown)
            {
                await requests.RefuseAsync(http, unknown).ConfigureAwait(false);
                return;
            }
            if (!token.MayReport(key))
            {
                string allowed = token.Load.IsEmpty ? "none" : string.Join(", ", token.Load);
                await requests.RefuseAsync(http, new ApiRequests.Refusal(StatusCodes.Status403Forbidden,
                    $"token '{token.Name}' may not report load for {ApiRequests.Text(key)} (it may for: {allowed})"), token.Name).ConfigureAwait(false);
                return;
            }
            if (!IsJson(http.Request.ContentType))
            {
                await ApiRequests.ErrorAsync(http, StatusCodes.Status415UnsupportedMediaType,
                    $"the body must be JSON: send 'Content-Type: application/json' (got {(string.IsNullOrEmpty(http.Request.ContentType) ? "none" : $"'{http.Request.ContentType}'")})").ConfigureAwait(false);
                return;
            }
            var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
            try
            {
                int length = http.Request.ContentLength > MaxBodyBytes ? MaxBodyBytes + 1 : await ReadAsync(http.Request.Body, buffer, http.RequestAborted).ConfigureAwait(false);
                if (length > MaxBodyBytes)
                {
                    await ApiRequests.ErrorAsync(http, StatusCodes.Status413PayloadTooLarge,
                        $"the body is larger than {MaxBodyBytes} bytes; a load report is a small JSON object").ConfigureAwait(false);
                    return;
                }
                if (!LoadReportJson.TryParse(buffer.AsSpan(0, length), out var body, out var error))
                {
                    await ApiRequests.ErrorAsync(http, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
                    return;
                }
                var ttl = body.Ttl ?? policy.Load.ReportTtl;
                state.SetLoad(key, body.Report, ttl, "api " + token.Name);
                Log.ApiLoadReported(logger, ApiRequests.Text(key), token.Name);
                if (cluster is not null && !await SharedAsync(cluster, key, body.Report, ttl, "api " + token.Name, http.RequestAborted).ConfigureAwait(false))
                {
                    http.Response.Headers[SharedHeader] = "pending";
                    await ApiRequests.ErrorAsync(http, StatusCodes.Status202Accepted,
                        $"accepted by instance '{cluster.Settings.InstanceName}' but not yet in etcd ({(cluster.Reachability.Up ? $"no write within {Health.Durations.Format(ShareTimeout)}" : "etcd unreachable")}); "
                        + "it is shared once etcd can be reached, unless its ttl runs out first").ConfigureAwait(false);
                    return;
                }
                if (cluster is not null) http.Response.Headers[SharedHeader] = "yes";
                http.Response.StatusCode = StatusCodes.Status204NoContent;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            await requests.FailedAsync(http, e).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues the report for etcd and waits for its write while etcd is up; does not wait when it is
    /// known to be down, so a reporter is not held for the timeout on every report of an outage.
    /// </summary>
    private static async Task<bool> SharedAsync(Cluster.ClusterService cluster, Steering.State.RegionKey key, LoadReport report, TimeSpan ttl,
        string source, CancellationToken aborted)
    {
        var written = cluster.Writer.PublishLoad(key, report, ttl, source);
        if (!cluster.Reachability.Up) return written.IsCompletedSuccessfully && written.Result;
        try
        {
            return await written.WaitAsync(ShareTimeout, aborted).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary><c>application/json</c>, with or without parameters; a charset other than UTF-8 is not JSON this server reads.</summary>
    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        if (!media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)) return false;
        return !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads up to buffer.Length bytes; a result of more than <see cref="MaxBodyBytes"/> means the body is too large.</summary>
    private static async Task<int> ReadAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        int total = 0, limit = MaxBodyBytes + 1;
        while (total < limit)
        {
            int read = await body.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            total += read;
        }
        return total;
    }
}
