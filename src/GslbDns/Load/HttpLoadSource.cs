using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace GslbDns.Load;

/// <summary>
/// Polls URLs answering the load report JSON or HAProxy's CSV stats. One client and one connection
/// pool for every region: polls every few seconds reuse keep-alive connections, and the pooled
/// lifetime makes a load balancer whose name moves to new addresses get reconnected.
/// </summary>
public sealed class HttpLoadSource : IDisposable
{
    /// <summary>Larger bodies are refused: a stats page of a few hundred servers is well below.</summary>
    public const int MaxBody = 1 << 20;

    private readonly HttpClient _client;

    public HttpLoadSource()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.All,
        };
        // Each poll is cut at its own timeout through the token; the client's would be one for all.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("gslbdns-load-pull", "1"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain", 0.5));
    }

    public async Task<LoadPollResult> FetchAsync(Uri url, string? backend, CancellationToken cancellation)
    {
        byte[] body;
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return LoadPollResult.Fail($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
            }
            if (response.Content.Headers.ContentLength > MaxBody) return LoadPollResult.Fail($"body over {MaxBody} bytes");
            body = await ReadAsync(response.Content, cancellation).ConfigureAwait(false) ?? [];
            if (body.Length > MaxBody) return LoadPollResult.Fail($"body over {MaxBody} bytes");
        }
        catch (HttpRequestException ex)
        {
            return LoadPollResult.Fail(ex.Message);
        }
        return Interpret(url, backend, body);
    }

    /// <summary>
    /// Report JSON or HAProxy CSV, told apart by the body (<c>{</c> or the <c># pxname,svname,</c> header),
    /// else by the URL (HAProxy's <c>;csv</c>), else taken as JSON so its parse error is the one shown.
    /// </summary>
    public static LoadPollResult Interpret(Uri url, string? backend, ReadOnlySpan<byte> body)
    {
        var content = body;
        if (content.StartsWith("\uFEFF"u8)) content = content[3..];
        content = content.TrimStart(" \t\r\n"u8);
        bool csv = content.StartsWith("# pxname"u8)
            || (!content.StartsWith("{"u8) && url.PathAndQuery.Contains("csv", StringComparison.OrdinalIgnoreCase));
        if (!csv)
        {
            return LoadReportJson.TryParse(content, out var report, out string error)
                ? LoadPollResult.Of(report.Report, report.Ttl)
                : LoadPollResult.Fail("load report: " + error);
        }
        HaproxyLoad load;
        try
        {
            load = HaproxyCsv.Parse(Encoding.UTF8.GetString(content), backend);
        }
        catch (FormatException ex)
        {
            return LoadPollResult.Fail("HAProxy CSV: " + ex.Message);
        }
        if (load.Servers == 0) return LoadPollResult.Fail(backend is null ? "HAProxy CSV: no servers" : $"HAProxy CSV: backend '{backend}' has no servers");
        return LoadPollResult.Of(new Steering.State.LoadReport(null, null, load.Connections, load.Capacity));
    }

    private static async Task<byte[]?> ReadAsync(HttpContent content, CancellationToken cancellation)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int read = await stream.ReadAsync(chunk, cancellation).ConfigureAwait(false);
            if (read == 0) return buffer.ToArray();
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody) return buffer.ToArray();
        }
    }

    public void Dispose() => _client.Dispose();
}
