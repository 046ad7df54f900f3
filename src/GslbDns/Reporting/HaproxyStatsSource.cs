using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using GslbDns.Load;

namespace GslbDns.Reporting;

/// <summary>
/// Reads HAProxy's CSV statistics from its stats page (<c>http(s)://…</c>) or its stats socket (a
/// unix socket path, as <c>stats socket</c> in haproxy.cfg declares it) and sums a backend's load.
/// </summary>
public sealed class HaproxyStatsSource
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Uri? _url;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly string? _socketPath;

    public HaproxyStatsSource(string location, string? backend, HttpClient http, TimeProvider time, TimeSpan timeout)
    {
        _http = http;
        _time = time;
        _timeout = timeout;
        Backend = backend;
        if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var url = new Uri(location);
            // The stats page is HTML unless asked for CSV; ";csv" after the page's path is HAProxy's way.
            var builder = new UriBuilder(url) { UserName = "", Password = "" };
            if (!location.Contains("csv", StringComparison.OrdinalIgnoreCase)) builder.Path = url.AbsolutePath + ";csv";
            _url = builder.Uri;
            // "stats auth user:pass" protects the page; credentials come in the URL, as for curl.
            if (url.UserInfo.Length > 0)
            {
                _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(url.UserInfo))));
            }
            Description = _url.ToString();
        }
        else
        {
            _socketPath = location;
            Description = $"socket {location}";
        }
        if (backend is not null) Description += $" backend {backend}";
    }

    public string? Backend { get; }

    /// <summary>Where the stats come from, without credentials, for log lines.</summary>
    public string Description { get; }

    /// <exception cref="FormatException">The answer is not HAProxy CSV, or has no such backend.</exception>
    /// <exception cref="IOException">The socket or page could not be read (HttpRequestException, SocketException and timeouts included).</exception>
    public async Task<HaproxyLoad> ReadAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        string csv;
        try
        {
            csv = _url is not null ? await FetchAsync(_url, linked.Token) : await AskSocketAsync(_socketPath!, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no answer within {Health.Durations.Format(_timeout)}");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException)
        {
            throw new IOException(e.Message, e);
        }
        return HaproxyCsv.Parse(csv, Backend);
    }

    private async Task<string> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new IOException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>One command per connection: HAProxy answers and closes, so the answer ends at EOF.</summary>
    private static async Task<string> AskSocketAsync(string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
        await socket.SendAsync("show stat\n"u8.ToArray(), SocketFlags.None, cancellationToken);
        using var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            answer.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
    }
}
