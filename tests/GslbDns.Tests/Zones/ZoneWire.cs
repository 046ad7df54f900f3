using System.Buffers.Binary;
using System.Text;

namespace GslbDns.Tests.Zones;

/// <summary>Builds expected RDATA octets by hand, independently of the reader under test.</summary>
internal static class ZoneWire
{
    /// <summary>Uncompressed wire name of a plain absolute name ("a.b."), case kept.</summary>
    public static byte[] Name(string absolute)
    {
        var octets = new List<byte>();
        foreach (var label in absolute.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            octets.Add((byte)label.Length);
            octets.AddRange(Encoding.ASCII.GetBytes(label));
        }
        octets.Add(0);
        return octets.ToArray();
    }

    public static byte[] U8(byte value) => [value];

    public static byte[] U16(ushort value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        return b;
    }

    public static byte[] U32(uint value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    /// <summary>A character-string: length octet then the octets (Latin-1, so "\u00ff" is octet 255).</summary>
    public static byte[] Str(string text) => [(byte)text.Length, .. Encoding.Latin1.GetBytes(text)];

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
