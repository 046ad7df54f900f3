using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace GslbDns.Hosting;

/// <summary>
/// Random bytes straight from the kernel, for the secrets made at start (the cookie secret, the
/// rate limiter's seed). On Linux, getrandom(2): the same pool RandomNumberGenerator draws from,
/// without its first call loading libcrypto and libssl, which a server with no TSIG and no TLS
/// configured needs for nothing else (3 MB resident). Elsewhere, RandomNumberGenerator.
/// </summary>
internal static partial class OsRandom
{
    private const int Eintr = 4;

    public static byte[] GetBytes(int count)
    {
        var bytes = new byte[count];
        Fill(bytes);
        return bytes;
    }

    /// <summary>Fills <paramref name="buffer"/> whole, or throws: a secret is never left partly zero.</summary>
    public static unsafe void Fill(Span<byte> buffer)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomNumberGenerator.Fill(buffer);
            return;
        }
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                // Blocks only until the kernel's pool is first seeded, early in boot. Reads of up to
                // 256 bytes are whole; longer ones can come back short, or with EINTR, on a signal.
                nint read = GetRandom(start + done, (nuint)(buffer.Length - done), 0);
                if (read > 0)
                {
                    done += (int)read;
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (read < 0 && errno == Eintr) continue;
                throw new InvalidOperationException(
                    $"getrandom(2) failed ({(read < 0 ? Marshal.GetPInvokeErrorMessage(errno) : "no bytes returned")}); the kernel's random source is needed for the server's secrets");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "getrandom", SetLastError = true)]
    private static unsafe partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
