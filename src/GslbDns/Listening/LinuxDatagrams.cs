using System.Runtime.InteropServices;

namespace GslbDns.Listening;

/// <summary>
/// recvmmsg/sendmmsg (Linux 2.6.33+/3.0+): many datagrams per system call. .NET has no managed
/// equivalent; knot, NSD and gdnsd all batch this way, and at full load it saves a receive and a
/// send system call for nearly every query.
/// </summary>
internal static unsafe partial class LinuxDatagrams
{
    public const int MsgWaitForOne = 0x10000;
    public const int MsgTrunc = 0x20;
    public const int EAgain = 11;
    public const int EIntr = 4;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int ONonBlock = 0x800;

    /// <summary>The layouts below are those of 64-bit Linux (x86-64 and arm64 agree).</summary>
    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMMsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>
    /// Makes the descriptor blocking: the loop sleeps in the kernel between bursts, and the socket's
    /// receive timeout wakes it to notice a stop.
    /// </summary>
    public static bool TryMakeBlocking(int fd)
    {
        int flags = Fcntl(fd, FGetFl, 0);
        return flags >= 0 && ((flags & ONonBlock) == 0 || Fcntl(fd, FSetFl, flags & ~ONonBlock) == 0);
    }
}
