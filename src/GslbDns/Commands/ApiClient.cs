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
            try
            {
                token = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error = $"cannot read the token file '{tokenFile}': {e.Message}";
                return null;
            }
            if (token.Length == 0)
            {
                error = $"the token file '{tokenFile}' is empty";
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

    public void Dispose() => Http.Dispose();
}
