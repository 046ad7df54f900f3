using System.Globalization;
using System.Runtime.InteropServices;

namespace GslbDns.Hosting;

/// <summary>
/// The pages of the server's own program files (the native executable, or the application's
/// assemblies) mapped into the process. Start-up touches most of them once (configuration binding,
/// dependency injection, the zone reader and compiler, the API host's routing) and a running server
/// needs a small part: answering queries uses about 2 MiB of the Native AOT binary's 24 MiB. The
/// kernel would keep the rest resident until memory ran short; <see cref="Release"/> hands them
/// back right away (madvise MADV_PAGEOUT, Linux 5.4+), and what is used again faults back in from
/// the page cache or the file.
/// </summary>
internal static partial class ProgramPages
{
    private const int MadvPageout = 21;

    /// <summary>A mapping of one of the program's files: where it starts and how long it is.</summary>
    public readonly record struct Mapping(ulong Start, ulong Length, string Path);

    /// <summary>
    /// Releases the program's pages; returns the resident bytes of its files before and after, or
    /// null where it cannot (not Linux, no /proc, a kernel without MADV_PAGEOUT).
    /// </summary>
    public static (long Before, long After)? Release() => Release(ProgramFiles());

    /// <summary>
    /// Releases the pages of the mapped files <paramref name="files"/> accepts. Pages that another
    /// process maps too (a second instance of the same binary) stay: the kernel leaves shared pages
    /// alone, and they cost this process nothing of its own.
    /// </summary>
    internal static (long Before, long After)? Release(Func<string, bool> files)
    {
        if (!OperatingSystem.IsLinux()) return null;
        List<Mapping> mappings;
        long before;
        try
        {
            mappings = [.. MappingsOf(File.ReadLines("/proc/self/maps"), files)];
            before = ResidentBytes(File.ReadLines("/proc/self/smaps"), files);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        foreach (var mapping in mappings)
        {
            // EINVAL on kernels before 5.4; nothing is lost then, and nothing more to try.
            if (Madvise((nint)mapping.Start, (nuint)mapping.Length, MadvPageout) != 0) return null;
        }
        return (before, ResidentBytes(File.ReadLines("/proc/self/smaps"), files));
    }

    /// <summary>The executable and every file in the application's folder (the assemblies of a JIT build).</summary>
    private static Func<string, bool> ProgramFiles()
    {
        string? executable = Environment.ProcessPath;
        string folder = AppContext.BaseDirectory;
        return path => path == executable || (folder.Length > 1 && path.StartsWith(folder, StringComparison.Ordinal));
    }

    /// <summary>The mappings in /proc/PID/maps lines (proc(5)) whose file <paramref name="isProgram"/> accepts.</summary>
    public static IEnumerable<Mapping> MappingsOf(IEnumerable<string> mapsLines, Func<string, bool> isProgram)
    {
        foreach (var line in mapsLines)
        {
            if (Parse(line) is { } mapping && isProgram(mapping.Path)) yield return mapping;
        }
    }

    /// <summary>
    /// The resident bytes of the program's mappings, from /proc/PID/smaps lines: each mapping's
    /// header line (as in maps) is followed by fields such as "Rss:  1234 kB".
    /// </summary>
    public static long ResidentBytes(IEnumerable<string> smapsLines, Func<string, bool> isProgram)
    {
        long total = 0;
        bool counting = false;
        foreach (var line in smapsLines)
        {
            if (Parse(line) is { } mapping)
            {
                counting = isProgram(mapping.Path);
            }
            else if (counting && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                var kib = line.AsSpan(4).Trim();
                if (kib.EndsWith(" kB")) kib = kib[..^3];
                if (long.TryParse(kib, NumberStyles.None, CultureInfo.InvariantCulture, out long value)) total += value * 1024;
            }
        }
        return total;
    }

    // "7f0e2c000000-7f0e2c021000 r-xp 00000000 fd:01 1234    /usr/lib/gslbdns/gslbdns": the path
    // is the sixth field and may hold spaces; anonymous mappings have none. Field lines of smaps
    // ("Rss:  12 kB") have no address range and give null.
    private static Mapping? Parse(string line)
    {
        int dash = line.IndexOf('-');
        int space = line.IndexOf(' ');
        if (dash <= 0 || space <= dash) return null;
        if (!ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
            || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end)
            || end <= start)
        {
            return null;
        }
        int pathStart = line.IndexOf('/', space);
        string path = pathStart < 0 ? "" : line[pathStart..];
        return new Mapping(start, end - start, path);
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
