using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GslbDns.Configuration;
using GslbDns.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Api;

/// <summary>
/// The server's HTTP API on its own listener (<c>--api-listen</c>, default 127.0.0.1:8053): Kestrel
/// with minimal APIs, in the same process as the DNS listeners but never on their path. Every group
/// of endpoints maps itself here (<see cref="IApiEndpoints"/>); a port that cannot be bound stops
/// the server at start with one line saying so.
/// </summary>
public sealed class ApiHost : IHostedService, IAsyncDisposable
{
    private readonly IPEndPoint? _endpoint;
    private readonly ServerOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILogger<ApiHost> _logger;
    private WebApplication? _app;

    public ApiHost(ServerOptions options, IServiceProvider services, ILogger<ApiHost> logger)
    {
        _endpoint = ServerOptionsValidator.ApiEndpoint(options);
        _options = options;
        _services = services;
        _logger = logger;
    }

    /// <summary>The bound address (with the real port when 0 was asked for); null when the API is off.</summary>
    public Uri? BaseAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_endpoint is null) return;
        var certificate = LoadCertificate(_options);
        // The empty builder: the API reads no configuration, so it watches no files. The slim one
        // takes the working directory as its content root and watches it, with every folder below,
        // for appsettings.json: each file written anywhere there (logs, captures, a benchmark's
        // output) woke a watcher thread that allocates, and a collection it set off during a zone
        // reload stopped the queries for tens of milliseconds.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Logging.ClearProviders();
        // The server's host owns SIGTERM and SIGINT and stops this one; left to its default console
        // lifetime, this host would also take SIGINT, and swallow it under systemd's lifetime.
        builder.Services.AddSingleton<IHostLifetime, StartedByServerLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(_endpoint, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        var app = builder.Build();
        foreach (var endpoints in _services.GetServices<IApiEndpoints>()) endpoints.Map(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"cannot listen for the API on {Format(_endpoint)}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        Log.ApiListening(_logger, BaseAddress.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The certificate of <c>--api-tls-cert</c> and <c>--api-tls-key</c>; null for plain HTTP. A bad file stops the start.</summary>
    private static X509Certificate2? LoadCertificate(ServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ApiTlsCert) || string.IsNullOrWhiteSpace(options.ApiTlsKey)) return null;
        foreach (var file in new[] { options.ApiTlsCert, options.ApiTlsKey })
        {
            if (!File.Exists(file)) throw new InvalidOperationException($"API TLS: '{file}' does not exist");
        }
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(options.ApiTlsCert, options.ApiTlsKey);
            if (!certificate.HasPrivateKey) throw new CryptographicException("the key does not belong to the certificate");
            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"API TLS: cannot load certificate '{options.ApiTlsCert}' with key '{options.ApiTlsKey}' (PEM files expected): {e.Message}", e);
        }
    }

    private static string Format(IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : endpoint.ToString();
}

/// <summary>The lifetime of the API's own host: it starts and stops when the server's host says, and listens to no signal.</summary>
internal sealed class StartedByServerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A group of API endpoints; each maps its own routes.</summary>
public interface IApiEndpoints
{
    void Map(WebApplication app);
}
