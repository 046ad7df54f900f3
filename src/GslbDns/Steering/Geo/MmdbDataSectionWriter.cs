using System.Buffers.Binary;
using System.Text;

namespace GslbDns.Steering.Geo;

/// <summary>
/// Serialises <see cref="MmdbValue"/> trees in the MaxMind DB data section encoding
/// (MaxMind DB format 2.0, "Output Data Section"): a control byte with a 3-bit type and a 5-bit size,
/// extended types 8-15 in a following byte, and pointers for repeated strings.
/// </summary>
internal sealed class MmdbDataSectionWriter
{
    private const int TypeExtended = 0;
    private const int TypePointer = 1;
    private const int TypeString = 2;
    private const int TypeDouble = 3;
    private const int TypeUInt16 = 5;
    private const int TypeUInt32 = 6;
    private const int TypeMap = 7;
    private const int TypeInt32 = 8;
    private const int TypeUInt64 = 9;
    private const int TypeArray = 11;
    private const int TypeBoolean = 14;
    private const int TypeFloat = 15;

    // A pointer costs 2-5 bytes; only strings longer than that are worth pointing at.
    private const int MinPointedStringBytes = 4;

    private readonly MemoryStream _buffer = new();
    private readonly Dictionary<string, int> _stringOffsets;
    private readonly bool _usePointers;

    /// <param name="usePointers">False for the metadata section, whose pointers would be relative to another base.</param>
    public MmdbDataSectionWriter(bool usePointers)
    {
        _usePointers = usePointers;
        _stringOffsets = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    public int Length => (int)_buffer.Length;

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>Appends a value and returns its offset from the start of the section.</summary>
    public int Write(MmdbValue value)
    {
        var offset = Length;
        WriteValue(value);
        return offset;
    }

    /// <summary>Serialises a value on its own, without pointers, so equal values give equal bytes.</summary>
    public static byte[] Canonical(MmdbValue value)
    {
        var writer = new MmdbDataSectionWriter(usePointers: false);
        writer.Write(value);
        return writer.ToArray();
    }

    private void WriteValue(MmdbValue value)
    {
        switch (value)
        {
            case MmdbString s:
                WriteString(s.Value);
                break;
            case MmdbDouble d:
                WriteControl(TypeDouble, 8);
                Span<byte> eight = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(eight, d.Value);
                _buffer.Write(eight);
                break;
            case MmdbFloat f:
                WriteControl(TypeFloat, 4);
                Span<byte> four = stackalloc byte[4];
                BinaryPrimitives.WriteSingleBigEndian(four, f.Value);
                _buffer.Write(four);
                break;
            case MmdbUInt16 u16:
                WriteUnsigned(TypeUInt16, u16.Value);
                break;
            case MmdbUInt32 u32:
                WriteUnsigned(TypeUInt32, u32.Value);
                break;
            case MmdbUInt64 u64:
                WriteUnsigned(TypeUInt64, u64.Value);
                break;
            case MmdbInt32 i32:
                WriteInt32(i32.Value);
                break;
            case MmdbBoolean b:
                // The size field carries the value; there is no payload.
                WriteControl(TypeBoolean, b.Value ? 1 : 0);
                break;
            case MmdbArray array:
                WriteControl(TypeArray, array.Items.Count);
                foreach (var item in array.Items)
                {
                    WriteValue(item);
                }
                break;
            case MmdbMap map:
                WriteControl(TypeMap, map.Entries.Count);
                foreach (var (key, item) in map.Entries)
                {
                    WriteString(key);
                    WriteValue(item);
                }
                break;
            default:
                throw new ArgumentException($"unsupported value {value.GetType().Name}", nameof(value));
        }
    }

    private void WriteString(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (_usePointers && bytes.Length >= MinPointedStringBytes)
        {
            if (_stringOffsets.TryGetValue(text, out var earlier))
            {
                WritePointer(earlier);
                return;
            }
            _stringOffsets[text] = Length;
        }
        WriteControl(TypeString, bytes.Length);
        _buffer.Write(bytes);
    }

    private void WriteUnsigned(int type, ulong value)
    {
        // Unsigned integers are stored big-endian with leading zero bytes dropped; size 0 means 0.
        var size = (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 8;
        WriteControl(type, size);
        for (var i = size - 1; i >= 0; i--)
        {
            _buffer.WriteByte((byte)(value >> (8 * i)));
        }
    }

    private void WriteInt32(int value)
    {
        // Readers left-pad short int32 payloads with zeros, so negative values need all 4 bytes.
        if (value < 0)
        {
            WriteControl(TypeInt32, 4);
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(four, value);
            _buffer.Write(four);
            return;
        }
        WriteUnsigned(TypeInt32, (uint)value);
    }

    private void WritePointer(int offset)
    {
        // Pointer sizes: 11, 19, 27 bits with the 2048 / 526336 biases, or a plain 32-bit value.
        if (offset < 2048)
        {
            _buffer.WriteByte((byte)((TypePointer << 5) | (0 << 3) | (offset >> 8)));
            _buffer.WriteByte((byte)offset);
        }
        else if (offset < 2048 + 524288)
        {
            var v = offset - 2048;
            _buffer.WriteByte((byte)((TypePointer << 5) | (1 << 3) | (v >> 16)));
            _buffer.WriteByte((byte)(v >> 8));
            _buffer.WriteByte((byte)v);
        }
        else if (offset < 526336 + 134217728)
        {
            var v = offset - 526336;
            _buffer.WriteByte((byte)((TypePointer << 5) | (2 << 3) | (v >> 24)));
            _buffer.WriteByte((byte)(v >> 16));
            _buffer.WriteByte((byte)(v >> 8));
            _buffer.WriteByte((byte)v);
        }
        else
        {
            _buffer.WriteByte((byte)((TypePointer << 5) | (3 << 3)));
            Span<byte> four = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(four, offset);
            _buffer.Write(four);
        }
    }

    private void WriteControl(int type, int size)
    {
        // Sizes 0-28 fit the control byte; 29/30/31 flag 1, 2 or 3 following size bytes.
        int sizeField;
        int extraBytes;
        int extra;
        if (size < 29)
        {
            sizeField = size;
            extraBytes = 0;
            extra = 0;
        }
        else if (size < 29 + 256)
        {
            sizeField = 29;
            extraBytes = 1;
            extra = size - 29;
        }
        else if (size < 285 + 65536)
        {
            sizeField = 30;
            extraBytes = 2;
            extra = size - 285;
        }
        else
        {
            sizeField = 31;
            extraBytes = 3;
            extra = size - 65821;
        }
        if (type > 7)
        {
            _buffer.WriteByte((byte)((TypeExtended << 5) | sizeField));
            _buffer.WriteByte((byte)(type - 7));
        }
        else
        {
            _buffer.WriteByte((byte)((type << 5) | sizeField));
        }
        for (var i = extraBytes - 1; i >= 0; i--)
        {
            _buffer.WriteByte((byte)(extra >> (8 * i)));
        }
    }
}
