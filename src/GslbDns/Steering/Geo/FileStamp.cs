using System.IO.Hashing;

namespace GslbDns.Steering.Geo;

/// <summary>
/// What tells one version of a database file from the next without reading it all: its length,
/// its modification time and a hash of its last 4 KiB (where an MMDB keeps its metadata, build
/// time included). Size and time alone miss a replacement of the same size written within one
/// tick of the kernel's coarse file clock, which a rebuild and rename can be.
/// </summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc, ulong Tail)
{
    private const int TailBytes = 4096;

    public static readonly FileStamp Missing = new(-1, DateTime.MinValue, 0);

    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return Missing;
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = RandomAccess.GetLength(file);
            Span<byte> tail = stackalloc byte[(int)Math.Min(TailBytes, length)];
            int read = RandomAccess.Read(file, tail, length - tail.Length);
            return new FileStamp(length, info.LastWriteTimeUtc, XxHash3.HashToUInt64(tail[..read]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Being replaced right now: a stamp that matches nothing, so the next look reads it again.
            return new FileStamp(info.Length, info.LastWriteTimeUtc, 0);
        }
    }
}
