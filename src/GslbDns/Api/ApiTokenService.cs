using System.Runtime.InteropServices;
using System.Security.Cryptography;
using GslbDns.Configuration;
using GslbDns.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Api;

/// <summary>
/// Keeps the API tokens of <c>--api-tokens</c> in force: read at start (a bad file stops the server,
/// like a bad zone), then re-read when the file changes (a watcher on its folder, debounced, with a
/// slow poll behind it for file systems that miss events) and on SIGHUP. A bad replacement is logged
/// and the last good tokens stay; a deleted file revokes every token.
/// </summary>
public sealed class ApiTokenService : IHostedService, IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    private readonly ILogger<ApiTokenService> _logger;
    private readonly object _gate = new();
    private byte[]? _fingerprint;
    private FileSystemWatcher? _watcher;
    private PosixSignalRegistration? _sighup;
    private Timer? _poll;
    private volatile ApiTokenSet? _current;
    private readonly DebouncedReload _reloads;

    public ApiTokenService(ServerOptions options, ILogger<ApiTokenService> logger)
    {
        _logger = logger;
        _reloads = new DebouncedReload(Reload, e => Log.ApiTokensReadFailed(logger, e, File!));
        File = string.IsNullOrWhiteSpace(options.ApiTokens) ? null : options.ApiTokens;
    }

    /// <summary>The tokens file as configured; null when none is (every write is refused).</summary>
    public string? File { get; }

    /// <summary>The tokens in force; null when no tokens file is configured or it is gone.</summary>
    public ApiTokenSet? Current => _current;

    /// <summary>Counts reads that changed the tokens in force or were rejected (tests wait on it).</summary>
    public int Generation { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (File is null) return Task.CompletedTask;
        if (!System.IO.File.Exists(File))
        {
            throw new InvalidOperationException($"API tokens file '{File}' does not exist");
        }
        byte[] bytes = System.IO.File.ReadAllBytes(File);
        var (tokens, problems) = Parse(bytes);
        if (tokens is null)
        {
            throw new ZoneLoadException($"{problems.Count} error(s) in API tokens file '{File}', first: {problems[0]}", problems);
        }
        Apply(tokens, SHA256.HashData(bytes));

        var full = Path.GetFullPath(File);
        try
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Request();
            _watcher.Created += (_, _) => Request();
            _watcher.Deleted += (_, _) => Request();
            _watcher.Renamed += (_, _) => Request();
            _watcher.Error += (_, _) => Request();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // The poll below still picks changes up.
            _watcher?.Dispose();
            _watcher = null;
        }
        _poll = new Timer(_ => Request(), null, PollInterval, PollInterval);
        if (!OperatingSystem.IsWindows())
        {
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                Request();
            });
        }
        _reloads.Start();
        return Task.CompletedTask;
    }

    /// <summary>Asks for a re-read; a burst of requests gives one.</summary>
    public void Request() => _reloads.Request();

    /// <summary>Re-reads the file now; nothing happens when its bytes did not change.</summary>
    public void Reload()
    {
        if (File is null) return;
        lock (_gate)
        {
            if (!System.IO.File.Exists(File))
            {
                if (_current is null) return;
                _current = null;
                _fingerprint = null;
                Generation++;
                Log.ApiTokensRemoved(_logger, File);
                return;
            }
            byte[] bytes;
            try
            {
                bytes = System.IO.File.ReadAllBytes(File);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Mid-write or briefly locked: the next event or poll tries again.
                return;
            }
            var fingerprint = SHA256.HashData(bytes);
            if (_fingerprint is not null && _fingerprint.AsSpan().SequenceEqual(fingerprint)) return;
            var (tokens, problems) = Parse(bytes);
            if (tokens is null)
            {
                // Remembered, so the same broken file is reported once, not at every poll.
                _fingerprint = fingerprint;
                Generation++;
                Log.ApiTokensRejected(_logger, File, string.Join('\n', problems));
                return;
            }
            Apply(tokens, fingerprint);
        }
    }

    private (ApiTokenSet? Tokens, IReadOnlyList<Zones.ZoneProblem> Problems) Parse(byte[] bytes)
    {
        try
        {
            return ApiTokensReader.ReadText(System.Text.Encoding.UTF8.GetString(bytes), File!);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, [new Zones.ZoneProblem(new Zones.SourceLocation(File!, 0), $"cannot be read: unexpected {e.GetType().Name}: {e.Message}")]);
        }
    }

    private void Apply(ApiTokenSet tokens, byte[] fingerprint)
    {
        lock (_gate)
        {
            _current = tokens;
            _fingerprint = fingerprint;
            Generation++;
        }
        Log.ApiTokensLoaded(_logger, tokens.Tokens.Length, File!,
            tokens.Tokens.Length == 0 ? "none" : string.Join(", ", tokens.Tokens.Select(t => t.Admin ? t.Name + " (admin)" : t.Name)));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null) _watcher.EnableRaisingEvents = false;
        if (_poll is not null) await _poll.DisposeAsync().ConfigureAwait(false);
        await _reloads.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _sighup?.Dispose();
        _poll?.Dispose();
        _reloads.Dispose();
    }
}
