using GslbDns.Configuration;
using GslbDns.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Tsig;

/// <summary>
/// Keeps the keys of <c>--tsig-keys</c> in force while serving: read when the service is built
/// (before the zones load, which check <c>transfer.yaml</c> against the key names; a bad file stops
/// the server), then re-read on change and on SIGHUP (<see cref="WatchedFile{T}"/>). A bad or
/// missing replacement is logged with file:line and the last good keys stay. Each good version is
/// published to <see cref="Store"/> with one write, then <see cref="Reloaded"/> runs so the transfer
/// rules are checked again against the new names.
/// </summary>
public sealed class TsigKeyFileService : IHostedService, IDisposable
{
    private readonly WatchedFile<TsigKeyring>? _file;

    public TsigKeyFileService(ServerOptions options, ILogger<TsigKeyFileService> logger)
    {
        if (string.IsNullOrWhiteSpace(options.TsigKeys)) return;
        string path = options.TsigKeys;
        _file = new WatchedFile<TsigKeyring>(path, "TSIG key file", TsigKeyFileReader.ReadText, new WatchedFileEvents<TsigKeyring>(
            Loaded: (keys, initial) =>
            {
                Store.Publish(keys);
                // Names and algorithms only: a secret never reaches the log.
                string names = keys.Keys.Count == 0 ? "none" : string.Join(", ", keys.Keys.Select(k => $"{k.Name} ({k.Algorithm})"));
                if (initial)
                {
                    Log.TsigKeysLoaded(logger, path, names);
                    return;
                }
                Log.TsigKeysReloaded(logger, names, path);
                Reloaded?.Invoke();
            },
            Rejected: problems => Log.TsigKeysRejected(logger, path, problems),
            Failed: e => Log.TsigKeysReadFailed(logger, e, path)));
        _file.LoadInitial();
    }

    /// <summary>The keys in force; empty without <c>--tsig-keys</c>.</summary>
    public TsigKeyStore Store { get; } = new(TsigKeyring.Empty);

    /// <summary>Raised on the reloading thread after new keys are in force (not at start).</summary>
    public event Action? Reloaded;

    /// <summary>Why the last re-read was rejected (file:line each); empty when the file in force is the one on disk.</summary>
    public IReadOnlyList<GslbDns.Zones.ZoneProblem> LastProblems => _file?.LastProblems ?? [];

    /// <summary>Counts reads that changed the keys in force or were rejected (tests wait on it).</summary>
    public int Generation => _file?.Generation ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _file?.Start();
        return Task.CompletedTask;
    }

    /// <summary>Re-reads the file now; nothing happens when its bytes did not change.</summary>
    public void Reload() => _file?.Reload();

    public Task StopAsync(CancellationToken cancellationToken) => _file?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _file?.Dispose();
}
