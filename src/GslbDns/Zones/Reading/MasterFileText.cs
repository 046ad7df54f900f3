using System.Text;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Reads a master file's text in one piece. <see cref="File.ReadAllText(string)"/> builds the text
/// from 16 KB chunks (a StringBuilder and a char array each), which for a million-record zone is
/// tens of megabytes of young objects and several collections in the middle of a reload; here the
/// file is one array and the text one string, both large objects the young collections skip.
/// The encoding is found from the byte order mark as ReadAllText finds it, UTF-8 without one.
/// </summary>
internal static class MasterFileText
{
    public static string Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> text = bytes;
        var encoding = Detect(ref text);
        return encoding.GetString(text);
    }

    private static Encoding Detect(ref ReadOnlySpan<byte> text)
    {
        // UTF-32 LE's mark starts with UTF-16 LE's, so it is tried first.
        if (Skip(ref text, [0xEF, 0xBB, 0xBF])) return Encoding.UTF8;
        if (Skip(ref text, [0xFF, 0xFE, 0x00, 0x00])) return Encoding.UTF32;
        if (Skip(ref text, [0xFF, 0xFE])) return Encoding.Unicode;
        if (Skip(ref text, [0xFE, 0xFF])) return Encoding.BigEndianUnicode;
        if (Skip(ref text, [0x00, 0x00, 0xFE, 0xFF])) return new UTF32Encoding(bigEndian: true, byteOrderMark: false);
        return Encoding.UTF8;
    }

    private static bool Skip(ref ReadOnlySpan<byte> text, ReadOnlySpan<byte> mark)
    {
        if (!text.StartsWith(mark)) return false;
        text = text[mark.Length..];
        return true;
    }
}
