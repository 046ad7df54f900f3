using System.Text;

namespace GslbDns.Steering.Policy;

/// <summary>
/// A 64-bit hash of a name that is the same in every process and release (unlike string.GetHashCode),
/// so weighted splits keep the same client networks on the same region across restarts and reloads.
/// </summary>
public static class StableHash
{
    /// <summary>FNV-1a over the UTF-8 bytes, then a finalising mix so short names spread over all 64 bits.</summary>
    public static ulong Of(string text)
    {
        ulong hash = 14695981039346656037UL;
        Span<byte> buffer = text.Length <= 128 ? stackalloc byte[text.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        int length = Encoding.UTF8.GetBytes(text, buffer);
        foreach (byte b in buffer[..length])
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return Mix(hash);
    }

    /// <summary>The MurmurHash3 64-bit finaliser: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong value)
    {
        value ^= value >> 33;
        value *= 0xff51afd7ed558ccdUL;
        value ^= value >> 33;
        value *= 0xc4ceb9fe1a85ec53UL;
        value ^= value >> 33;
        return value;
    }
}
