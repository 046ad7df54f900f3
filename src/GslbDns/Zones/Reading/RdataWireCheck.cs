using System.Buffers.Binary;
using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>Structural checks of wire RDATA for the types whose layout this server depends on.</summary>
internal static class RdataWireCheck
{
    /// <summary>Null when <paramref name="data"/> is well formed for <paramref name="type"/>, else why not.</summary>
    public static string? Check(RecordType type, ReadOnlySpan<byte> data)
    {
        switch (type)
        {
            case RecordType.A:
                return data.Length == 4 ? null : $"A RDATA must be 4 octets, not {data.Length}";
            case RecordType.AAAA:
                return data.Length == 16 ? null : $"AAAA RDATA must be 16 octets, not {data.Length}";
            case RecordType.NS or RecordType.CNAME or RecordType.PTR or RecordType.DNAME:
                return Names(data, 0, 1, 0);
            case RecordType.MX:
                return Names(data, 2, 1, 0);
            case RecordType.SRV:
                return Names(data, 6, 1, 0);
            case RecordType.SOA:
                return Names(data, 0, 2, 20);
            case RecordType.TXT or RecordType.HINFO:
                return CharacterStrings(data, type == RecordType.HINFO ? 2 : -1);
            case RecordType.NAPTR:
            {
                if (data.Length < 4) return "NAPTR RDATA too short";
                int pos = 4;
                for (int i = 0; i < 3; i++)
                {
                    if (pos >= data.Length || pos + 1 + data[pos] > data.Length) return "NAPTR character-strings run past the end";
                    pos += 1 + data[pos];
                }
                return Names(data[pos..], 0, 1, 0);
            }
            case RecordType.CAA:
                if (data.Length < 2 || data[1] == 0 || 2 + data[1] > data.Length) return "CAA needs flags, a non-empty tag and a value";
                return null;
            case RecordType.DS:
                return data.Length > 4 ? null : "DS RDATA needs key tag, algorithm, digest type and a digest";
            default:
                return null;
        }
    }

    private static string? Names(ReadOnlySpan<byte> data, int prefix, int count, int suffix)
    {
        if (data.Length < prefix) return "RDATA too short";
        int pos = prefix;
        for (int i = 0; i < count; i++)
        {
            int length = NameText.WireLength(data[pos..]);
            if (length < 0) return "not a valid uncompressed domain name";
            pos += length;
        }
        return data.Length - pos == suffix ? null : $"RDATA has {data.Length} octets, expected {pos + suffix}";
    }

    private static string? CharacterStrings(ReadOnlySpan<byte> data, int exactCount)
    {
        int pos = 0, count = 0;
        while (pos < data.Length)
        {
            pos += 1 + data[pos];
            count++;
        }
        if (pos != data.Length || count == 0) return "character-strings do not fill the RDATA exactly";
        if (exactCount > 0 && count != exactCount) return $"expected {exactCount} character-strings, found {count}";
        return null;
    }

    /// <summary>SOA MINIMUM (the last 32 bits of SOA RDATA, RFC 1035 §3.3.13).</summary>
    public static uint SoaMinimum(ReadOnlySpan<byte> soa) => BinaryPrimitives.ReadUInt32BigEndian(soa[^4..]);

    /// <summary>SOA SERIAL: the first of the five numbers after the two names.</summary>
    public static uint SoaSerial(ReadOnlySpan<byte> soa) => BinaryPrimitives.ReadUInt32BigEndian(soa[^20..]);
}
