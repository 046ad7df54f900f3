using System.Buffers.Binary;

namespace GslbDns.Zones.Reading;

/// <summary>Accumulates RDATA octets in network byte order.</summary>
internal sealed class RdataBuilder
{
    private readonly List<byte> _octets = new(64);

    public RdataBuilder UInt8(byte value)
    {
        _octets.Add(value);
        return this;
    }

    public RdataBuilder UInt16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        _octets.AddRange(b);
        return this;
    }

    public RdataBuilder UInt32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _octets.AddRange(b);
        return this;
    }

    public RdataBuilder Octets(ReadOnlySpan<byte> value)
    {
        _octets.AddRange(value);
        return this;
    }

    /// <summary>A length-prefixed character-string (RFC 1035 §3.3); the caller keeps it to 255 octets.</summary>
    public RdataBuilder CharacterString(ReadOnlySpan<byte> value)
    {
        _octets.Add((byte)value.Length);
        _octets.AddRange(value);
        return this;
    }

    public int Length => _octets.Count;

    public byte[] ToArray() => _octets.ToArray();
}
