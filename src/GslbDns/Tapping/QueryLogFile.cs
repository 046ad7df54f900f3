namespace GslbDns.Tapping;

/// <summary>
/// Where the query log goes: standard output for <c>-</c>, else a file opened for appending, so a
/// restart continues the same file. <see cref="Reopen"/> closes and opens the path again: after
/// logrotate has renamed the file, SIGHUP makes the server start a new one under the old name.
/// </summary>
public sealed class QueryLogFile : IDisposable
{
    public const string StandardOutput = "-";

    private readonly string _path;
    private readonly Func<Stream> _open;
    private Stream? _stream;

    public QueryLogFile(string path)
        : this(path, path == StandardOutput ? Console.OpenStandardOutput : () => OpenFile(path))
    {
    }

    /// <summary>A log written to any stream (tests give one that blocks or fails).</summary>
    internal QueryLogFile(string path, Func<Stream> open)
    {
        _path = path;
        _open = open;
    }

    public string Target => _path == StandardOutput ? "stdout" : _path;

    public bool IsStandardOutput => _path == StandardOutput;

    /// <summary>Opens the output; throws IOException or UnauthorizedAccessException when it cannot.</summary>
    public Stream Open()
    {
        _stream ??= _open();
        return _stream;
    }

    public void Reopen()
    {
        if (IsStandardOutput) return;
        Close();
        Open();
    }

    public void Close()
    {
        var stream = _stream;
        _stream = null;
        // Standard output is the process's, shared with the console log: flushed, never closed.
        if (IsStandardOutput) stream?.Flush(); else stream?.Dispose();
    }

    public void Dispose() => Close();

    // FileShare.Delete and ReadWrite: logrotate may rename it and a reader may follow it while it is open.
    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
}
