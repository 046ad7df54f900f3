namespace GslbDns.Configuration;

/// <summary>
/// A cheap fingerprint of a folder tree: every file's relative path, length and modification time,
/// read with stat only (no file is opened). Two equal stamps mean nothing visible changed, so a poll
/// can skip the full re-read that a reload costs for large zones.
/// </summary>
internal static class FolderStamp
{
    public static long Of(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        var hash = new HashCode();
        try
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
            foreach (var info in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options).OrderBy(i => i.FullName, StringComparer.Ordinal))
            {
                hash.Add(info.FullName, StringComparer.Ordinal);
                hash.Add(info.LastWriteTimeUtc.Ticks);
                if (info is FileInfo file) hash.Add(file.Length);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file vanished while listing: report a stamp that differs, so the next poll reloads.
            hash.Add(Environment.TickCount64);
        }
        return hash.ToHashCode();
    }
}
