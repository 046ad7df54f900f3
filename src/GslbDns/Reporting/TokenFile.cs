namespace GslbDns.Reporting;

/// <summary>
/// The bearer secret: the first non-empty line of a file, read again before every report so a
/// rotated token (written in place or renamed over the old file) is used without a restart. The file
/// is a few bytes, so reading it each interval costs less than watching it would.
/// </summary>
public sealed class TokenFile(string path)
{
    private string? _token;

    public string Path => path;

    /// <summary>The token; on a read failure, the last good one (null when there never was one).</summary>
    /// <param name="changed">True when the file now holds a different token than the last read.</param>
    /// <param name="error">Why the file could not be used this time, or null.</param>
    public string? Read(out bool changed, out string? error)
    {
        changed = false;
        error = null;
        string? token;
        try
        {
            token = File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            return _token;
        }
        if (token is null)
        {
            error = "no token in it";
            return _token;
        }
        changed = _token is not null && !string.Equals(token, _token, StringComparison.Ordinal);
        _token = token;
        return token;
    }
}
