namespace GslbDns.Zones.Reading;

/// <summary>
/// Resolves $INCLUDE file names against the including file's folder and keeps them inside the zones
/// folder, so a zone file cannot pull in arbitrary files of the host.
/// </summary>
internal static class IncludePath
{
    public static string Resolve(string includingFile, string name) =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(includingFile) ?? ".", name));

    /// <summary>Null when <paramref name="fullPath"/> (and the file a link there points to) lies inside <paramref name="root"/>.</summary>
    public static string? CheckInside(string fullPath, string root)
    {
        if (!IsInside(fullPath, root)) return $"'{fullPath}' is outside the zones folder '{root}'";
        try
        {
            var target = new FileInfo(fullPath).ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null && !IsInside(Path.GetFullPath(target.FullName), root) && !IsInside(Path.GetFullPath(target.FullName), RealPath(root)))
            {
                return $"'{fullPath}' is a link to '{target.FullName}', outside the zones folder '{root}'";
            }
        }
        catch (IOException)
        {
            // A broken link shows up as a missing file when it is read.
        }
        return null;
    }

    /// <summary>The folder a linked zones folder points to, so links inside it can be judged by their targets.</summary>
    private static string RealPath(string root)
    {
        try
        {
            var target = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? root : Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName));
        }
        catch (IOException)
        {
            return root;
        }
    }

    public static string Display(string fullPath, string root) =>
        Path.GetRelativePath(root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    private static bool IsInside(string fullPath, string root)
    {
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return fullPath.StartsWith(prefix, StringComparison.Ordinal);
    }
}
