using System.Runtime.InteropServices;
using System.IO.Hashing;
using GslbDns.Zones;

namespace GslbDns.Configuration;

/// <summary>What a <see cref="WatchedFile{T}"/> reports; each file logs with its own messages.</summary>
/// <param name="Loaded">A new version is in force (also the first); <c>initial</c> is true at start.</param>
/// <param name="Rejected">A bad replacement, its problems one per line; the last good version stays.</param>
/// <param name="Failed">The re-read itself threw; the last good version stays.</param>
/// <param name="Removed">The file is gone and what it held is withdrawn; null keeps the last good version (reported as rejected).</param>
internal sealed record WatchedFileEvents<T>(
    Action<T, bool> Loaded,
    Action<string> Rejected,
    Action<Exception> Failed,
    Action? Removed = null);

/// <summary>
/// One file outside the zones folder kept in force while serving (API tokens, TSIG keys, cookie
/// secrets): read at start (a bad file stops the server, like a bad zone), then re-read when it
/// changes — a watcher on its folder, folded by <see cref="DebouncedReload"/>, a slow poll behind it
/// for file systems that miss events (and Kubernetes secret volumes, which swap a symlink the watcher
/// does not see), and SIGHUP. A re-read that finds the same bytes does nothing; a bad replacement is
/// reported once (its fingerprint is remembered) and the last good version stays in force.
/// </summary>
internal sealed class WatchedFile<T> : IDisposable where T : class
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(10);

    private readonly Func<string, string, (T? Value, IReadOnlyList<ZoneProblem> Problems)> _parse;
    private readonly WatchedFileEvents<T> _events;
    private readonly TimeSpan _pollInterval;
    private readonly object _gate = new();
    private readonly DebouncedReload _reloads;
    private byte[]? _fingerprint;
    private volatile T? _current;
    private FileSystemWatcher? _watcher;
    private PosixSignalRegistration? _sighup;
    private Timer? _poll;

    /// <param name="describe">What the file is, for the start-up error ("TSIG key file").</param>
    /// <param name="parse">Text and path to the value, or to its problems with file:line.</param>
    public WatchedFile(string path, string describe, Func<string, string, (T? Value, IReadOnlyList<ZoneProblem> Problems)> parse,
        WatchedFileEvents<T> events, TimeSpan? pollInterval = null)
    {
        Path = path;
        Describe = describe;
        _parse = parse;
        _events = events;
        _pollInterval = pollInterval ?? DefaultPollInterval;
        _reloads = new DebouncedReload(Reload, events.Failed);
    }

    public string Path { get; }

    public string Describe { get; }

    /// <summary>The version in force; null before <see cref="LoadInitial"/> or after a removal that withdraws it.</summary>
    public T? Current => _current;

    /// <summary>Counts reads that changed the version in force or were rejected (tests wait on it).</summary>
    public int Generation { get; private set; }

    /// <summary>Why the last read was rejected, each with file:line; empty when the file in force is the one on disk.</summary>
    public IReadOnlyList<ZoneProblem> LastProblems { get; private set; } = [];

    /// <summary>First read: a missing or bad file throws, so a server never starts half-configured.</summary>
    public T LoadInitial()
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"{Describe} '{Path}' does not exist");
        }
        byte[] bytes = File.ReadAllBytes(Path);
        var (value, problems) = Parse(bytes);
        if (value is null)
        {
            throw new ZoneLoadException($"{problems.Count} error(s) in {Describe} '{Path}', first: {problems[0]}", problems);
        }
        Apply(value, XxHash128.Hash(bytes), initial: true);
        return value;
    }

    /// <summary>Starts watching: folder events, the poll and SIGHUP all ask for a re-read.</summary>
    public void Start()
    {
        var full = System.IO.Path.GetFullPath(Path);
        try
        {
            _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileName(full))
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
        _poll = new Timer(_ => Request(), null, _pollInterval, _pollInterval);
        if (!OperatingSystem.IsWindows())
        {
            // Before registering: an inherited SIG_IGN (nohup) would keep the handler from running.
            SignalDisposition.ResetSighupOnce();
            _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                Request();
            });
        }
        _reloads.Start();
    }

    /// <summary>Asks for a re-read; a burst of requests gives one.</summary>
    public void Request() => _reloads.Request();

    /// <summary>Re-reads the file now; nothing happens when its bytes did not change.</summary>
    public void Reload()
    {
        lock (_gate)
        {
            if (!File.Exists(Path))
            {
                ReportMissing();
                return;
            }
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Mid-write or briefly locked: the next event or poll tries again.
                return;
            }
            var fingerprint = XxHash128.Hash(bytes);
            if (_fingerprint is not null && _fingerprint.AsSpan().SequenceEqual(fingerprint)) return;
            var (value, problems) = Parse(bytes);
            if (value is null)
            {
                // Remembered, so the same broken file is reported once, not at every poll.
                _fingerprint = fingerprint;
                LastProblems = problems;
                Generation++;
                _events.Rejected(string.Join('\n', problems));
                return;
            }
            Apply(value, fingerprint, initial: false);
        }
    }

    private void ReportMissing()
    {
        if (_events.Removed is { } removed)
        {
            if (_current is null) return;
            _current = null;
            _fingerprint = null;
            Generation++;
            removed();
            return;
        }
        // An empty fingerprint stands for "gone": reported once, and a file that comes back is read.
        if (_fingerprint is { Length: 0 }) return;
        _fingerprint = [];
        LastProblems = [new ZoneProblem(new SourceLocation(Path, 0), "is gone; put it back (the last good version stays in force)")];
        Generation++;
        _events.Rejected(LastProblems[0].ToString());
    }

    private (T? Value, IReadOnlyList<ZoneProblem> Problems) Parse(byte[] bytes)
    {
        try
        {
            return _parse(System.Text.Encoding.UTF8.GetString(bytes), Path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, [new ZoneProblem(new SourceLocation(Path, 0), $"cannot be read: unexpected {e.GetType().Name}: {e.Message}")]);
        }
    }

    private void Apply(T value, byte[] fingerprint, bool initial)
    {
        lock (_gate)
        {
            _current = value;
            _fingerprint = fingerprint;
            LastProblems = [];
            Generation++;
            _events.Loaded(value, initial);
        }
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
