using GslbDns.Observability;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GslbDns.Api;

/// <summary>
/// What the write endpoints share: the bearer token check, the region look-up and the
/// <c>{"error": "..."}</c> answers. Checks run in one order for every write: 401 (no or wrong
/// token), 404 (no such service or region), 403 (the token may not touch it), then the body.
/// </summary>
public sealed class ApiRequests(ApiTokenService tokens, RegionStateStore state, ILogger<ApiRequests> logger)
{
    /// <summary>The failure of a check: its status code and reason; null when it passed.</summary>
    public readonly record struct Refusal(int Status, string Reason);

    /// <summary>401 unless the request carries <c>Authorization: Bearer SECRET</c> of a configured token.</summary>
    public Refusal? Authenticate(HttpContext http, out ApiToken token)
    {
        token = null!;
        if (tokens.Current is not { Tokens.Length: > 0 } set)
        {
            return new Refusal(StatusCodes.Status401Unauthorized, tokens.File is null
                ? "no API tokens are configured on this server (start it with --api-tokens FILE); write requests are refused"
                : $"no API tokens are in force (the tokens file '{tokens.File}' is missing or empty); write requests are refused");
        }
        string header = http.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (header.Length == 0)
        {
            return new Refusal(StatusCodes.Status401Unauthorized, "no token: send the header 'Authorization: Bearer SECRET'");
        }
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.AsSpan(Scheme.Length).Trim().IsEmpty)
        {
            return new Refusal(StatusCodes.Status401Unauthorized, "the Authorization header must be 'Bearer SECRET'");
        }
        if (set.Find(header[Scheme.Length..].Trim()) is not { } found)
        {
            return new Refusal(StatusCodes.Status401Unauthorized, "the token is not valid (not in the tokens file)");
        }
        token = found;
        return null;
    }

    /// <summary>404 unless <paramref name="service"/> has a region <paramref name="region"/> in a policy served now.</summary>
    public Refusal? FindRegion(string service, string region, out RegionKey key, out ServicePolicy policy)
    {
        key = default;
        policy = null!;
        if (!DnsName.TryParse(service.TrimEnd('.') + ".", null, out var name, out _))
        {
            return new Refusal(StatusCodes.Status404NotFound, $"'{service}' is not a service name");
        }
        if (state.FindRegion(name, region) is { } found)
        {
            key = found.Key;
            policy = found.Service;
            return null;
        }
        var known = state.Attached.SelectMany(a => a.Document.Services).FirstOrDefault(s => WireComparer.Instance.Equals(s.Name, name));
        return new Refusal(StatusCodes.Status404NotFound, known is null
            ? $"no steered service {Text(name)} is served"
            : $"service {Text(name)} has no region '{region}' (its regions: {string.Join(", ", known.Regions.Select(r => r.Name))})");
    }

    /// <summary>One refused request logged a second at most: a client hammering with a wrong token cannot flood the log.</summary>
    private readonly LogThrottle _refusals = new(TimeSpan.FromSeconds(1));

    public Task RefuseAsync(HttpContext http, Refusal refusal, string? token = null)
    {
        if (refusal.Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden && _refusals.ShouldLog(out int suppressed))
        {
            Log.ApiRefused(logger, http.Request.Method, http.Request.Path.ToString(), http.Connection.RemoteIpAddress?.ToString() ?? "?",
                refusal.Status, token is null ? refusal.Reason : $"{refusal.Reason} (token {token})", suppressed);
        }
        return ErrorAsync(http, refusal.Status, refusal.Reason);
    }

    public static Task ErrorAsync(HttpContext http, int status, string reason)
    {
        http.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) http.Response.Headers.WWWAuthenticate = "Bearer";
        return http.Response.WriteAsJsonAsync(new ApiError(reason), Errors.ApiError);
    }

    /// <summary>Reasons quote names ('eu'); kept readable rather than \u0027 (the body is JSON, never HTML).</summary>
    private static readonly ApiJsonContext Errors = new(new System.Text.Json.JsonSerializerOptions(ApiJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>An unexpected fault: logged with its stack, answered 500 with one line.</summary>
    public Task FailedAsync(HttpContext http, Exception e)
    {
        Log.ApiFailed(logger, e, http.Request.Method, http.Request.Path.ToString());
        return ErrorAsync(http, StatusCodes.Status500InternalServerError, $"the server failed: {e.Message}");
    }

    public static string Text(DnsName name) => name.ToString().TrimEnd('.');

    public static string Text(RegionKey key) => $"{Text(key.Service)}/{key.Region}";
}
