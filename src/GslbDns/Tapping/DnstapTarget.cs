namespace GslbDns.Tapping;

public enum DnstapTransport
{
    /// <summary>A Frame Streams file: START, data frames, STOP when the server stops.</summary>
    File,

    /// <summary>A collector listening on a Unix socket, with the bidirectional handshake.</summary>
    Unix,
}

/// <summary>Where dnstap goes: <c>file:PATH</c> or <c>unix:PATH</c>, the forms other servers' dnstap options take.</summary>
public readonly record struct DnstapTarget(DnstapTransport Transport, string Path)
{
    public static bool TryParse(string text, out DnstapTarget target, out string error)
    {
        target = default;
        error = "";
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon < 0 ? "" : text[..colon];
        string path = colon < 0 ? text : text[(colon + 1)..];
        DnstapTransport? transport = scheme switch
        {
            "file" => DnstapTransport.File,
            "unix" => DnstapTransport.Unix,
            _ => null,
        };
        if (transport is null)
        {
            error = colon < 0
                ? $"Dnstap '{text}' has no scheme; use unix:PATH (a collector's socket) or file:PATH"
                : $"Dnstap '{text}' has the unknown scheme '{scheme}'; use unix:PATH (a collector's socket) or file:PATH";
            return false;
        }
        if (string.IsNullOrWhiteSpace(path))
        {
            error = $"Dnstap '{text}' has no path after '{scheme}:'";
            return false;
        }
        target = new DnstapTarget(transport.Value, path);
        return true;
    }

    public override string ToString() => (Transport == DnstapTransport.File ? "file:" : "unix:") + Path;
}
