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

    /// <summary>Sets SIGHUP back to its default action, so the handler registered next is the one that runs.</summary>
    public static void ResetSighup() => _ = Signal(SigHup, SigDfl);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
