using System.Buffers.Binary;
using System.Text;
using MaxMind.Db;

namespace GslbDns.Steering.Geo;

/// <summary>
/// A bounds-checked decoder for the MaxMind DB data encoding, used for the metadata section (whose
/// node_count and record_size MaxMind.Db does not expose). Values decode to string, ulong, long, double,
/// float, bool, List&lt;object&gt; and Dictionary&lt;string, object&gt;.
/// </summary>
internal static class MmdbDataDecoder
{
    private const int MaxDepth = 64;

    /// <summary>Decodes the value at <paramref name="offset"/>; pointers are relative to the span start.</summary>
    public static object Decode(ReadOnlySpan<byte> section, ref int offset) => Decode(section, ref offset, 0);

    private static object Decode(ReadOnlySpan<byte> section, ref int offset, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidDatabaseException("data nested too deeply (pointer loop?)");
        }
        var control = Byte(section, offset++);
        var type = control >> 5;
        if (type == 1)
        {
            var target = PointerTarget(section, control, ref offset);
            var at = target;
            return Decode(section, ref at, depth + 1);
        }
        if (type == 0)
        {
            type = 7 + Byte(section, offset++);
        }
        var size = control & 0x1F;
        if (size >= 29)
        {
            var extra = size - 28;
            var value = 0;
            for (var i = 0; i < extra; i++)
            {
                value = (value << 8) | Byte(section, offset++);
            }
            size = size switch { 29 => 29 + value, 30 => 285 + value, _ => 65821 + value };
        }
        switch (type)
        {
            case 2:
                var text = Encoding.UTF8.GetString(Slice(section, offset, size));
                offset += size;
                return text;
            case 3:
                Expect(size == 8, "double of size other than 8");
                var d = BinaryPrimitives.ReadDoubleBigEndian(Slice(section, offset, 8));
                offset += 8;
                return d;
            case 15:
                Expect(size == 4, "float of size other than 4");
                var f = BinaryPrimitives.ReadSingleBigEndian(Slice(section, offset, 4));
                offset += 4;
                return f;
            case 4:
                var bytes = Slice(section, offset, size).ToArray();
                offset += size;
                return bytes;
            case 5 or 6 or 9 or 10:
                Expect(size <= (type == 5 ? 2 : type == 6 ? 4 : type == 9 ? 8 : 16), "integer wider than its type");
                Expect(size <= 8, "uint128 values are not supported here");
                ulong u = 0;
                foreach (var b in Slice(section, offset, size))
                {
                    u = (u << 8) | b;
                }
                offset += size;
                return u;
            case 8:
                Expect(size <= 4, "int32 wider than 4 bytes");
                uint s = 0;
                foreach (var b in Slice(section, offset, size))
                {
                    s = (s << 8) | b;
                }
                offset += size;
                return (long)(int)s;
            case 14:
                Expect(size <= 1, "boolean with a size other than 0 or 1");
                return size == 1;
            case 11:
                var list = new List<object>(Math.Min(size, 1024));
                for (var i = 0; i < size; i++)
                {
                    list.Add(Decode(section, ref offset, depth + 1));
                }
                return list;
            case 7:
                var map = new Dictionary<string, object>(Math.Min(size, 1024), StringComparer.Ordinal);
                for (var i = 0; i < size; i++)
                {
                    if (Decode(section, ref offset, depth + 1) is not string key)
                    {
                        throw new InvalidDatabaseException("map key is not a string");
                    }
                    map[key] = Decode(section, ref offset, depth + 1);
                }
                return map;
            default:
                throw new InvalidDatabaseException($"unknown data type {type}");
        }
    }

    private static int PointerTarget(ReadOnlySpan<byte> section, int control, ref int offset)
    {
        var sizeBits = (control >> 3) & 0x3;
        var low = control & 0x7;
        long target = sizeBits switch
        {
            0 => (low << 8) | Byte(section, offset),
            1 => 2048 + ((low << 16) | (Byte(section, offset) << 8) | Byte(section, offset + 1)),
            2 => 526336 + (((long)low << 24) | ((long)Byte(section, offset) << 16) | ((long)Byte(section, offset + 1) << 8) | Byte(section, offset + 2)),
            _ => BinaryPrimitives.ReadUInt32BigEndian(Slice(section, offset, 4)),
        };
        offset += sizeBits + 1;
        if (target >= section.Length)
        {
            throw new InvalidDatabaseException($"pointer to {target} beyond the end of the section");
        }
        return (int)target;
    }

    private static byte Byte(ReadOnlySpan<byte> section, int offset) =>
        (uint)offset < (uint)section.Length ? section[offset] : throw new InvalidDatabaseException("data runs past the end of the section");

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> section, int offset, int length) =>
        offset >= 0 && length >= 0 && offset + (long)length <= section.Length
            ? section.Slice(offset, length)
            : throw new InvalidDatabaseException("data runs past the end of the section");

    private static void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDatabaseException(problem);
        }
    }
}
