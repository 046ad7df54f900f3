using System.Runtime.InteropServices;

namespace GslbDns.Hosting;

/// <summary>
/// Lowers the scheduling priority of the calling thread alone. On Linux a thread is a task with its
/// own nice value (setpriority(2) with PRIO_PROCESS and a thread id); .NET's Thread.Priority does
/// not reach it there. A reload at nice 10 gets about a tenth of a CPU the UDP threads want
/// (CFS weights 110 against 1024), so compiling a big zone does not take their time.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>False where it could not be done (not Linux, no libc entry, or refused).</summary>
    public static bool Lower(int nice)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return SetPriority(PrioProcess, GetTid(), nice) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
