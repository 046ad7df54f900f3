using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GslbDns.IntegrationTests.Load;

/// <summary>
/// A real HTTP server on 127.0.0.1 playing a load balancer's load endpoint: each path answers what the
/// test sets (a body and a status), and counts its requests.
/// </summary>
public sealed class LoadPullHttpSource : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string Body, string Type)> _answers = new();
    private readonly ConcurrentDictionary<string, int> _requests = new();

    private LoadPullHttpSource(WebApplication app) => _app = app;

    public Uri Base { get; private set; } = null!;

    public static async Task<LoadPullHttpSource> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var source = new LoadPullHttpSource(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            source._requests.AddOrUpdate(path, 1, (_, n) => n + 1);
            var (status, body, type) = source._answers.GetValueOrDefault(path, (404, "no such path", "text/plain"));
            context.Response.StatusCode = status;
            context.Response.ContentType = type;
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        source.Base = new Uri(address.TrimEnd('/') + "/");
        return source;
    }

    public void Json(string path, string json) => _answers[path] = (200, json, "application/json");

    public void Csv(string path, string csv) => _answers[path] = (200, csv, "text/csv");

    public void Fail(string path, int status = 503) => _answers[path] = (status, "unavailable", "text/plain");

    public int Requests(string path) => _requests.GetValueOrDefault(path);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

/// <summary>A TCP listener playing an HAProxy agent: every connection gets <see cref="Line"/> and is closed.</summary>
public sealed class LoadPullAgent : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public LoadPullAgent()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public volatile string Line = "75%\n";

    public int Connections;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref Connections);
            using (socket)
            {
                try
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes(Line), SocketFlags.None);
                    socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
