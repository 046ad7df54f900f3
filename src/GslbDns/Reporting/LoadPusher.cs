using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using GslbDns.Health;
using Microsoft.Extensions.Logging;

namespace GslbDns.Reporting;

/// <summary>How one server took one report.</summary>
public enum PushOutcome
{
    /// <summary>2xx: the server stored the report.</summary>
    Accepted,

    /// <summary>4xx (or a redirect): the report or its token is wrong; sending it again would not help.</summary>
    Rejected,

    /// <summary>No answer, a timeout or a 5xx: the server may take the same report a moment later.</summary>
    Unreachable,
}

/// <summary>
/// Sends a report to every server at once. Each server has its own retries, so a dead or slow one
/// never delays the report to the others; and its own state, so becoming unreachable and reachable
/// again is logged once each rather than every interval.
/// </summary>
public sealed class LoadPusher
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);

    private readonly ReporterOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Target[] _targets;

    public LoadPusher(ReporterOptions options, HttpClient http, TimeProvider time, ILogger logger, Random? random = null)
    {
        _options = options;
        _http = http;
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared;
        _targets = [.. options.Targets.Select(t => new Target(t.ToString().TrimEnd('/'), options.EndpointOf(t)))];
    }

    /// <summary>
    /// Posts <paramref name="body"/> to every server; with <paramref name="retry"/>, a server that does
    /// not answer is tried again with growing pauses until <paramref name="cancellationToken"/> (the
    /// next report is due) ends the attempts.
    /// </summary>
    /// <returns>Each server's outcome, in the order of <see cref="ReporterOptions.Targets"/>.</returns>
    public Task<PushOutcome[]> PushAsync(byte[] body, string token, bool retry, CancellationToken cancellationToken) =>
        Task.WhenAll(_targets.Select(t => SendAsync(t, body, token, retry, cancellationToken)));

    private async Task<PushOutcome> SendAsync(Target target, byte[] body, string token, bool retry, CancellationToken cancellationToken)
    {
        // Off the caller's thread at once: one server's connect must not hold up the next one's start.
        await Task.Yield();
        var pause = FirstRetry;
        while (true)
        {
            var (outcome, status, reason) = await AttemptAsync(target, body, token, cancellationToken);
            if (outcome == PushOutcome.Unreachable && cancellationToken.IsCancellationRequested && status < 0)
            {
                // Cut off by the next report, not failed: the server's state stays as it was.
                return outcome;
            }
            Record(target, outcome, status, reason);
            if (outcome != PushOutcome.Unreachable || !retry) return outcome;
            try
            {
                await Task.Delay(Jitter(pause), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return outcome;
            }
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _options.Interval.Ticks));
        }
    }

    /// <summary>A pause within ±25% of <paramref name="pause"/>, so reporters that lost the same server do not retry in step.</summary>
    private TimeSpan Jitter(TimeSpan pause) => pause * (0.75 + 0.5 * _random.NextDouble());

    /// <returns>The outcome, the HTTP status (0 without an answer, -1 when cut off) and a reason to log.</returns>
    private async Task<(PushOutcome, int, string)> AttemptAsync(Target target, byte[] body, string token, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Endpoint)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            int status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return (PushOutcome.Accepted, status, "");
            string error = await ErrorTextAsync(response, linked.Token);
            return status >= 500
                ? (PushOutcome.Unreachable, status, $"HTTP {status}: {error}")
                : (PushOutcome.Rejected, status, error);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (PushOutcome.Unreachable, 0, $"no answer within {Durations.Format(_options.Timeout)}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (PushOutcome.Unreachable, -1, "");
        }
        catch (HttpRequestException e)
        {
            return (PushOutcome.Unreachable, 0, Describe(e));
        }
    }

    /// <summary>
    /// The server's <c>{"error":"..."}</c> text, else a short plain-text body, else the status line:
    /// it goes into a log line, where a proxy's HTML error page would only be noise.
    /// </summary>
    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string statusLine = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        try
        {
            if (mediaType is "application/json" or "application/problem+json")
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString()!;
                }
            }
            else if (mediaType is "text/plain")
            {
                string text = (await response.Content.ReadAsStringAsync(cancellationToken)).ReplaceLineEndings(" ").Trim();
                if (text.Length is > 0 and <= 200) return text;
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
        }
        return statusLine;
    }

    /// <summary>The socket error (connection refused, no route) rather than HttpClient's generic wrapper text.</summary>
    private static string Describe(HttpRequestException e) =>
        e.InnerException is SocketException socket ? $"{socket.SocketErrorCode}: {socket.Message}"
        : e.InnerException is IOException io ? io.Message
        : e.Message;

    private void Record(Target target, PushOutcome outcome, int status, string reason)
    {
        lock (target)
        {
            var (previous, previousStatus, previousReason) = (target.State, target.Status, target.Reason);
            target.State = outcome;
            target.Status = status;
            target.Reason = reason;
            switch (outcome)
            {
                case PushOutcome.Accepted when previous is null:
                    ReporterLog.Accepted(_logger, target.Name);
                    break;
                case PushOutcome.Accepted when previous != PushOutcome.Accepted:
                    ReporterLog.Recovered(_logger, target.Name, Durations.Format(TimeSpan.FromSeconds(Math.Round(_time.GetElapsedTime(target.FailingSince).TotalSeconds))));
                    break;
                case PushOutcome.Unreachable when previous != PushOutcome.Unreachable:
                    if (previous is null or PushOutcome.Accepted) target.FailingSince = _time.GetTimestamp();
                    ReporterLog.Unreachable(_logger, target.Name, reason);
                    break;
                case PushOutcome.Rejected when previous != PushOutcome.Rejected || previousStatus != status || previousReason != reason:
                    if (previous is null or PushOutcome.Accepted) target.FailingSince = _time.GetTimestamp();
                    ReporterLog.Rejected(_logger, target.Name, status, reason);
                    break;
            }
        }
    }

    private sealed class Target(string name, Uri endpoint)
    {
        public string Name { get; } = name;
        public Uri Endpoint { get; } = endpoint;
        public PushOutcome? State { get; set; }
        public int Status { get; set; }
        public string Reason { get; set; } = "";
        public long FailingSince { get; set; }
    }
}
