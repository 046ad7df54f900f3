using GslbDns.Configuration;
using GslbDns.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Api;

/// <summary>
/// Keeps the API tokens of <c>--api-tokens</c> in force: read at start (a bad file stops the server,
/// like a bad zone), then re-read on change and on SIGHUP (<see cref="WatchedFile{T}"/>). A bad
/// replacement is logged and the last good tokens stay; a deleted file revokes every token.
/// </summary>
public sealed class ApiTokenService : IHostedService, IDisposable
{
    private readonly WatchedFile<ApiTokenSet>? _file;

    public ApiTokenService(ServerOptions options, ILogger<ApiTokenService> logger)
    {
        File = string.IsNullOrWhiteSpace(options.ApiTokens) ? null : options.ApiTokens;
        if (File is null) return;
        string file = File;
        _file = new WatchedFile<ApiTokenSet>(file, "API tokens file", ApiTokensReader.ReadText, new WatchedFileEvents<ApiTokenSet>(
            Loaded: (tokens, _) => Log.ApiTokensLoaded(logger, tokens.Tokens.Length, file,
                tokens.Tokens.Length == 0 ? "none" : string.Join(", ", tokens.Tokens.Select(t => t.Admin ? t.Name + " (admin)" : t.Name))),
            Rejected: problems => Log.ApiTokensRejected(logger, file, problems),
            Failed: e => Log.ApiTokensReadFailed(logger, e, file),
            // Revoking is the safe side for write access: no file, no writes.
            Removed: () => Log.ApiTokensRemoved(logger, file)));
    }

    /// <summary>The tokens file as configured; null when none is (every write is refused).</summary>
    public string? File { get; }

    /// <summary>The tokens in force; null when no tokens file is configured or it is gone.</summary>
    public ApiTokenSet? Current => _file?.Current;

    /// <summary>Counts reads that changed the tokens in force or were rejected (tests wait on it).</summary>
    public int Generation => _file?.Generation ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_file is null) return Task.CompletedTask;
        _file.LoadInitial();
        _file.Start();
        return Task.CompletedTask;
    }

    /// <summary>Asks for a re-read; a burst of requests gives one.</summary>
    public void Request() => _file?.Request();

    /// <summary>Re-reads the file now; nothing happens when its bytes did not change.</summary>
    public void Reload() => _file?.Reload();

    public Task StopAsync(CancellationToken cancellationToken) => _file?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _file?.Dispose();
}
