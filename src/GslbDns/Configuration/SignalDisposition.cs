using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace GslbDns.Configuration;

/// <summary>
/// Undoes an inherited SIG_IGN. <c>nohup</c>, <c>trap '' HUP</c> and some supervisors start the
/// server with SIGHUP ignored, an ignored signal stays ignored across exec (POSIX exec), and .NET's
/// <see cref="PosixSignalRegistration"/> leaves an ignored signal ignored: without this reset,
/// <c>kill -HUP</c> would neither reload nor log.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal static partial class SignalDisposition
{
    // SIGHUP is 1 on Linux, macOS and the BSDs; SIG_DFL is the null handler everywhere.
    private const int SigHup = 1;
    private const nint SigDfl = 0;

    private static int s_reset;

    /// <summary>
    /// Sets SIGHUP back to its default action, once per process and before the first SIGHUP handler
    /// is registered: every component that handles SIGHUP (the zones, the API tokens, the TSIG keys,
    /// the cookie secrets) calls it first. A second reset would undo the handler the runtime installed
    /// for the components registered before it, and SIGHUP would then end the process.
    /// </summary>
    public static void ResetSighupOnce()
    {
        if (Interlocked.Exchange(ref s_reset, 1) == 0) _ = Signal(SigHup, SigDfl);
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
