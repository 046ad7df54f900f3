using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace GslbDns.IntegrationTests.Reporting;

/// <summary>One request a <see cref="RecordingApi"/> received.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string? Authorization, string? ContentType, string Body);

/// <summary>
/// Kestrel on 127.0.0.1, port 0, standing in for a GslbDns API: records every request and answers
/// with the status and body <see cref="Answer"/> gives.
/// </summary>
internal sealed class RecordingApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingApi(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Func<ReceivedRequest, (int Status, string Body, string ContentType)> Answer { get; set; } = _ => (204, "", "");

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<RecordingApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new RecordingApi(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var request = new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null,
                context.Request.ContentType, await reader.ReadToEndAsync());
            api.Requests.Enqueue(request);
            var (status, body, contentType) = api.Answer(request);
            context.Response.StatusCode = status;
            if (body.Length > 0)
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body);
            }
        });
        await app.StartAsync();
        api.BaseUrl = new Uri(app.Urls.Single());
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Every log line written, with its event id, for assertions on what was logged how often.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    public int Count(int eventId, string contains) => Entries.Count(e => e.EventId == eventId && e.Message.Contains(contains, StringComparison.Ordinal));

    private sealed class Logger(RecordingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}

/// <summary>A stats socket answering <c>show stat</c> with a fixed CSV, then closing, as HAProxy's does.</summary>
internal sealed class FakeStatsSocket : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Task _loop;

    public FakeStatsSocket(string path, string csv)
    {
        Path = path;
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(8);
        _loop = Task.Run(async () =>
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                using (client)
                {
                    var buffer = new byte[256];
                    var command = new StringBuilder();
                    while (!command.ToString().Contains('\n', StringComparison.Ordinal))
                    {
                        int read = await client.ReceiveAsync(buffer, SocketFlags.None);
                        if (read == 0) break;
                        command.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }
                    Commands.Enqueue(command.ToString());
                    await client.SendAsync(Encoding.UTF8.GetBytes(command.ToString() == "show stat\n" ? csv : "Unknown command.\n"), SocketFlags.None);
                    client.Shutdown(SocketShutdown.Both);
                }
            }
        });
    }

    public string Path { get; }

    public ConcurrentQueue<string> Commands { get; } = new();

    public void Dispose()
    {
        _listener.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        File.Delete(Path);
    }
}

internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or 20 s pass (a busy two-core machine is slow, not broken).</summary>
    public static async Task<bool> HoldsAsync(Func<bool> condition, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    /// <summary>A loopback port nothing listens on: bound, then released.</summary>
    public static int DeadPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
