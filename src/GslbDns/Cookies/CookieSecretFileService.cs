using GslbDns.Configuration;
using GslbDns.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Cookies;

/// <summary>
/// Keeps the secrets of <c>--cookie-secret-file</c> in force while serving: read when the query path
/// is built (a bad file stops the server), then re-read on change and on SIGHUP
/// (<see cref="WatchedFile{T}"/>); each good version goes to <see cref="Cookies"/> with one reference
/// write. A bad or missing replacement is logged with file:line and the last good secrets stay: a
/// deployment whose instances share a secret must not fall back to one of its own. Without the
/// option the server makes one random secret and watches nothing.
/// </summary>
public sealed class CookieSecretFileService : IHostedService, IDisposable
{
    private readonly WatchedFile<CookieSecrets>? _file;

    public CookieSecretFileService(ServerOptions options, TimeProvider time, ILogger<CookieSecretFileService> logger)
    {
        if (string.IsNullOrWhiteSpace(options.CookieSecretFile))
        {
            Cookies = new ServerCookies(CookieSecrets.Random(), time);
            return;
        }
        string path = options.CookieSecretFile;
        ServerCookies? cookies = null;
        _file = new WatchedFile<CookieSecrets>(path, "cookie secret file", CookieSecrets.ReadText, new WatchedFileEvents<CookieSecrets>(
            Loaded: (secrets, initial) =>
            {
                if (cookies is null) cookies = new ServerCookies(secrets, time);
                else cookies.Publish(secrets);
                // How many, never what: the secrets stay out of the log.
                if (initial) Log.CookieSecretsLoaded(logger, secrets.Count, path);
                else Log.CookieSecretsReloaded(logger, secrets.Count, path);
            },
            Rejected: problems => Log.CookieSecretsRejected(logger, path, problems),
            Failed: e => Log.CookieSecretsReadFailed(logger, e, path)));
        _file.LoadInitial();
        Cookies = cookies!;
    }

    /// <summary>The cookies the query path answers with, over the secrets in force.</summary>
    public ServerCookies Cookies { get; }

    /// <summary>Why the last re-read was rejected (file:line each); empty when the file in force is the one on disk.</summary>
    public IReadOnlyList<GslbDns.Zones.ZoneProblem> LastProblems => _file?.LastProblems ?? [];

    /// <summary>Counts reads that changed the secrets in force or were rejected (tests wait on it).</summary>
    public int Generation => _file?.Generation ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _file?.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _file?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _file?.Dispose();
}
