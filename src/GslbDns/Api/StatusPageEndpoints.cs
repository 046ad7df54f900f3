using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GslbDns.Api;

/// <summary>
/// <c>GET /</c>: the live status page, and <c>GET /ui/{file}</c> its script and style sheet. The
/// files are embedded in the binary (Api/StatusPage/) and load nothing from anywhere else, so the page
/// works on an operator network without a way out; the page itself polls <c>/api/v1/status</c> and
/// <c>/api/v1/changes</c> and, with a token pasted in, calls the drain endpoints.
/// </summary>
public sealed class StatusPageEndpoints : IApiEndpoints
{
    /// <summary>Nothing but this origin: no inline script, no outside fetch, no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Dictionary<string, (byte[] Body, string Type)> Files = Load();

    public void Map(WebApplication app)
    {
        app.MapMethods("/", ["GET", "HEAD"], (HttpContext http) => Serve(http, "index.html"));
        app.MapMethods("/ui/{file}", ["GET", "HEAD"], (HttpContext http, string file) => Serve(http, file));
    }

    private static IResult Serve(HttpContext http, string name)
    {
        if (name == "index.html" && http.Request.Path != "/" || !Files.TryGetValue(name, out var file)) return Results.NotFound();
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Bytes(file.Body, file.Type);
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        const string prefix = "GslbDns.StatusPage.";
        var assembly = typeof(StatusPageEndpoints).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            string name = resource[prefix.Length..];
            files[name] = (copy.ToArray(), TypeOf(name));
        }
        return files;
    }

    private static string TypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };
}
