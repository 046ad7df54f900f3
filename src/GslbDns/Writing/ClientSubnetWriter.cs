using System.Buffers.Binary;
using GslbDns.Parsing;

namespace GslbDns.Writing;

/// <summary>Writes the ECS option of a reply (RFC 7871 §7.2.1): the client's family, source prefix and address, our scope.</summary>
public static class ClientSubnetWriter
{
    private const ushort OptionCode = 8;

    public static int Write(Span<byte> destination, in ClientSubnetOption subnet, byte scopePrefix)
    {
        int addressBytes = (subnet.SourcePrefix + 7) / 8;
        BinaryPrimitives.WriteUInt16BigEndian(destination, OptionCode);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(4 + addressBytes));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], subnet.Family);
        destination[6] = subnet.SourcePrefix;
        destination[7] = scopePrefix;
        Span<byte> full = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(full, subnet.Address);
        var address = subnet.Family == 1 ? full[12..] : full;
        address[..addressBytes].CopyTo(destination[8..]);
        return 8 + addressBytes;
    }
}
