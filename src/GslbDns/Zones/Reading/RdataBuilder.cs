using System.Buffers.Binary;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Accumulates RDATA octets in network byte order. One builder serves every record of a file
/// (<see cref="Clear"/> between records), so the only allocation per record is the final copy.
/// </summary>
internal sealed class RdataBuilder
{
    private byte[] _octets = new byte[256];
    private int _length;

    public void Clear() => _length = 0;

    public RdataBuilder UInt8(byte value)
    {
        Reserve(1)[0] = value;
        return this;
    }

    public RdataBuilder UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);
        return this;
    }

    public RdataBuilder UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);
        return this;
    }

    public RdataBuilder Octets(ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(value.Length));
        return this;
    }

    /// <summary>A length-prefixed character-string (RFC 1035 §3.3); the caller keeps it to 255 octets.</summary>
    public RdataBuilder CharacterString(ReadOnlySpan<byte> value)
    {
        UInt8((byte)value.Length);
        return Octets(value);
    }

    public int Length => _length;

    /// <summary>Octets written so far, for checks before the copy.</summary>
    public Span<byte> Written => _octets.AsSpan(0, _length);

    /// <summary>Sets the octet at <paramref name="offset"/> (a length prefix known only afterwards).</summary>
    public void Patch(int offset, byte value) => _octets[offset] = value;

    /// <summary>Room for <paramref name="count"/> more octets, counted as written; the caller fills it.</summary>
    public Span<byte> Reserve(int count)
    {
        if (_length + count > _octets.Length) Array.Resize(ref _octets, Math.Max(_octets.Length * 2, _length + count));
        var span = _octets.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Gives back the last <paramref name="count"/> octets of a <see cref="Reserve"/> that used less.</summary>
    public void Unreserve(int count) => _length -= count;

    public byte[] ToArray() => _octets.AsSpan(0, _length).ToArray();
}
