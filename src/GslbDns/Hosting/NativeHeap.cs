using System.Runtime.InteropServices;

namespace GslbDns.Hosting;

/// <summary>
/// The C heap beside the managed one. The query path mallocs nothing, but the runtime's JIT does
/// (its working memory, for every tier-up of a hot method, and those go on for many minutes: code
/// that only reloads run reaches its call count late), on whichever thread-pool or tiering thread
/// runs it. glibc gives such threads arenas of their own, up to 8 per core, and each arena keeps
/// what was freed in it: without trimming, resident memory creeps up by megabytes over a long run
/// with no live allocation behind it (bench/soak.sh saw a dozen 64 MiB-aligned arenas each
/// growing). The shipped units also set <c>MALLOC_ARENA_MAX=2</c>, which glibc reads only at
/// process start, before any code of ours runs.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>
    /// Hands the free memory inside every arena back to the system (glibc's malloc_trim walks all
    /// arenas and releases whole free pages, not only the top of the main heap); false where there
    /// is nothing to call (not Linux, or a C library without it). A fraction of a millisecond on a
    /// server's few megabytes of malloc.
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
