using GslbDns.Protocol;

namespace GslbDns.Zones;

/// <summary>
/// Hands out room for many small byte strings (RDATA, names) from a few large buffers, so a zone of
/// a million records is a few dozen arrays for the collector rather than a million. Buffers start
/// small, for the many small zones, and double up to 1 MiB. Not thread-safe: one per zone build.
/// </summary>
public sealed class ByteArena
{
    private const int FirstBuffer = 4096;
    private const int LargestBuffer = 1 << 20;

    private byte[] _buffer = [];
    private int _used;

    /// <summary>Copies <paramref name="bytes"/> in; returns the buffer and offset they now sit at.</summary>
    public (byte[] Buffer, int Offset) Add(ReadOnlySpan<byte> bytes)
    {
        if (_buffer.Length - _used < bytes.Length)
        {
            // The tail of the old buffer is left unused; a string never spans two buffers.
            int size = Math.Clamp(_buffer.Length * 2, FirstBuffer, LargestBuffer);
            _buffer = new byte[Math.Max(size, bytes.Length)];
            _used = 0;
        }
        int offset = _used;
        bytes.CopyTo(_buffer.AsSpan(offset));
        _used += bytes.Length;
        return (_buffer, offset);
    }

    /// <summary>A name whose bytes live here: <paramref name="wire"/> copied in and case-folded.</summary>
    public DnsName AddName(ReadOnlySpan<byte> wire, int labelCount)
    {
        var (buffer, offset) = Add(wire);
        DnsName.FoldCase(buffer.AsSpan(offset, wire.Length));
        return DnsName.Over(buffer, offset, wire.Length, labelCount);
    }
}
