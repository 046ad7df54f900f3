using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Reads RFC 1035 §5 master files: $ORIGIN, $TTL, $INCLUDE, "@", relative names, blank owners,
/// optional class, TTL units, parentheses, comments, quoted strings and RFC 3597 generic RDATA.
/// Every problem is reported with its file and line; reading continues after a bad entry.
/// </summary>
public static class MasterFileReader
{
    /// <summary>
    /// Reads the master file at <paramref name="path"/>. $INCLUDE names are resolved from the including
    /// file's folder and must stay inside <paramref name="zonesRoot"/>; file names in locations are
    /// relative to <paramref name="zonesRoot"/>.
    /// </summary>
    public static ZoneReadResult Read(string path, string zonesRoot, DnsName? origin)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(zonesRoot));
        string fullPath = Path.GetFullPath(path);
        var parse = new MasterFileParse(root, origin);
        parse.ReadFile(fullPath, IncludePath.Display(fullPath, root));
        return parse.Result();
    }

    /// <summary>
    /// Reads master-file <paramref name="text"/>, naming it <paramref name="fileName"/> in locations.
    /// With a <paramref name="zonesRoot"/>, the text counts as the file <paramref name="fileName"/>
    /// in that folder for $INCLUDE; without one, $INCLUDE is an error.
    /// </summary>
    public static ZoneReadResult ReadText(string text, string fileName, DnsName? origin, string? zonesRoot = null)
    {
        string? root = zonesRoot is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(zonesRoot));
        var parse = new MasterFileParse(root, origin);
        parse.ReadText(text, root is null ? null : Path.GetFullPath(Path.Combine(root, fileName)), fileName);
        return parse.Result();
    }
}
