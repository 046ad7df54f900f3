using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GslbDns.Commands;

/// <summary>What the API verbs share: the <c>--api URL</c>, <c>--token-file F</c> options and the HTTP client.</summary>
internal sealed class ApiClient : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:8053";

    private ApiClient(Uri baseAddress, string? token)
    {
        BaseAddress = baseAddress;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        if (token is not null) Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>
    /// Reads <c>--api</c> and <c>--token-file</c> from <paramref name="args"/>; whatever else is there
    /// is left in <paramref name="rest"/>. The token file holds the secret alone (surrounding space ignored).
    /// </summary>
    public static ApiClient? Create(string[] args, bool needsToken, out List<string> rest, out string error)
    {
        rest = [];
        error = "";
        string url = DefaultUrl;
        string? tokenFile = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--api" or "--token-file")
            {
                if (i + 1 >= args.Length)
                {
                    error = $"option '{args[i]}' needs a value";
                    return null;
                }
                if (args[i] == "--api") url = args[++i];
                else tokenFile = args[++i];
            }
            else rest.Add(args[i]);
        }
        if (!url.Contains("://", StringComparison.Ordinal)) url = "http://" + url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            error = $"--api must be an http:// or https:// URL, found '{url}'";
            return null;
        }
        string? token = null;
        if (tokenFile is not null)
        {
            token = new Reporting.TokenFile(tokenFile).Read(out _, out var problem);
            if (token is null)
            {
                error = $"cannot read the token file '{tokenFile}': {problem}";
                return null;
            }
        }
        else if (needsToken)
        {
            error = "--token-file F is required (a file holding the token's secret)";
            return null;
        }
        return new ApiClient(baseAddress, token);
    }

    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>
    /// GET <paramref name="path"/> of the API at <paramref name="server"/> as JSON; null with a one-line
    /// <paramref name="error"/> ("cannot read WHAT from URL: why") when the server cannot be reached or answers something else.
    /// </summary>
    public static T? GetJson<T>(HttpClient http, Uri server, string path, JsonTypeInfo<T> type, string what, out string error) where T : class
    {
        error = "";
        try
        {
            var body = http.GetStringAsync(new Uri(server, path)).GetAwaiter().GetResult();
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("empty body");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException)
        {
            error = $"cannot read {what} from {server}: {StatusCommand.OneLine(e)}";
            return null;
        }
    }

    /// <summary><see cref="GetJson{T}(HttpClient, Uri, string, JsonTypeInfo{T}, string, out string)"/> with a client of its own.</summary>
    public static T? GetJson<T>(Uri server, string path, JsonTypeInfo<T> type, string what, out string error) where T : class
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return GetJson(http, server, path, type, what, out error);
    }

    public void Dispose() => Http.Dispose();
}
