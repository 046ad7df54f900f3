using System.Buffers.Binary;

namespace GslbDns.Tapping;

/// <summary>
/// Frame Streams control frames (fstrm's CONTROL.md): an escape of four zero bytes (a data frame
/// is never empty, so a zero length cannot be one), the control frame's length, its type, and
/// optional fields, of which the only kind is CONTENT_TYPE.
/// </summary>
public static class FrameStreamControl
{
    public const uint Accept = 0x01;
    public const uint Start = 0x02;
    public const uint Stop = 0x03;
    public const uint Ready = 0x04;
    public const uint Finish = 0x05;

    private const uint FieldContentType = 0x01;

    /// <summary>The spec's limit on a control frame's length (FSTRM_CONTROL_FRAME_LENGTH_MAX).</summary>
    private const int MaxLength = 512;

    public const string DnstapContentType = "protobuf:dnstap.Dnstap";

    public static void Write(Stream stream, uint type, string? contentType)
    {
        int fields = contentType is null ? 0 : 8 + contentType.Length;
        Span<byte> frame = stackalloc byte[12 + fields];
        BinaryPrimitives.WriteUInt32BigEndian(frame, 0);
        BinaryPrimitives.WriteUInt32BigEndian(frame[4..], (uint)(4 + fields));
        BinaryPrimitives.WriteUInt32BigEndian(frame[8..], type);
        if (contentType is not null)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame[12..], FieldContentType);
            BinaryPrimitives.WriteUInt32BigEndian(frame[16..], (uint)contentType.Length);
            System.Text.Encoding.ASCII.GetBytes(contentType, frame[20..]);
        }
        stream.Write(frame);
    }

    /// <summary>A data frame: its length, then its bytes.</summary>
    public static void WriteData(Stream stream, ReadOnlySpan<byte> payload)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)payload.Length);
        stream.Write(length);
        stream.Write(payload);
    }

    /// <summary>Reads one control frame; throws <see cref="InvalidDataException"/> for anything else.</summary>
    public static (uint Type, List<string> ContentTypes) Read(Stream stream)
    {
        Span<byte> head = stackalloc byte[8];
        stream.ReadExactly(head);
        if (BinaryPrimitives.ReadUInt32BigEndian(head) != 0) throw new InvalidDataException("expected a control frame, got a data frame");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(head[4..]);
        if (length is < 4 or > MaxLength) throw new InvalidDataException($"control frame of {length} bytes");
        var body = new byte[length];
        stream.ReadExactly(body);
        uint type = BinaryPrimitives.ReadUInt32BigEndian(body);
        var contentTypes = new List<string>();
        int at = 4;
        while (at + 8 <= body.Length)
        {
            uint field = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at));
            int fieldLength = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at + 4));
            at += 8;
            if (fieldLength < 0 || at + fieldLength > body.Length) throw new InvalidDataException("control field runs past its frame");
            if (field == FieldContentType) contentTypes.Add(System.Text.Encoding.ASCII.GetString(body, at, fieldLength));
            at += fieldLength;
        }
        return (type, contentTypes);
    }
}
