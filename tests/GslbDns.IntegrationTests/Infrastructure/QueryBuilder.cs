using System.Buffers.Binary;

namespace GslbDns.IntegrationTests.Infrastructure;

/// <summary>Builds query bytes by hand, so tests can send exactly what a client (or an attacker) would.</summary>
public sealed class QueryBuilder
{
    public ushort Id { get; init; } = 0x1234;
    public bool RecursionDesired { get; init; } = true;
    public byte Opcode { get; init; }
    public ushort QClass { get; init; } = 1;

    /// <summary>EDNS UDP payload size, or null for no OPT record.</summary>
    public ushort? EdnsPayload { get; init; }
    public byte EdnsVersion { get; init; }
    public bool DnssecOk { get; init; }
    public List<(ushort Code, byte[] Data)> Options { get; init; } = [];

    public byte[] Build(string name, ushort type)
    {
        var bytes = new List<byte>();
        void U16(int v) { bytes.Add((byte)(v >> 8)); bytes.Add((byte)v); }
        U16(Id);
        U16((Opcode << 11) | (RecursionDesired ? 0x0100 : 0));
        U16(1);
        U16(0);
        U16(0);
        U16(EdnsPayload.HasValue ? 1 : 0);
        bytes.AddRange(EncodeName(name));
        U16(type);
        U16(QClass);
        if (EdnsPayload is ushort payload)
        {
            bytes.Add(0);
            U16(41);
            U16(payload);
            bytes.Add(0);
            bytes.Add(EdnsVersion);
            U16(DnssecOk ? 0x8000 : 0);
            int rdlen = Options.Sum(o => 4 + o.Data.Length);
            U16(rdlen);
            foreach (var (code, data) in Options)
            {
                U16(code);
                U16(data.Length);
                bytes.AddRange(data);
            }
        }
        return [.. bytes];
    }

    /// <summary>Wire form of a presentation name (no escapes), keeping the letter case.</summary>
    public static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>An ECS option (RFC 7871 §6) for 'address/prefix'.</summary>
    public static (ushort, byte[]) ClientSubnet(string cidr)
    {
        var parts = cidr.Split('/');
        var address = System.Net.IPAddress.Parse(parts[0]);
        int prefix = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var raw = address.GetAddressBytes();
        var data = new byte[4 + (prefix + 7) / 8];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(raw.Length == 4 ? 1 : 2));
        data[2] = (byte)prefix;
        data[3] = 0;
        Array.Copy(raw, 0, data, 4, data.Length - 4);
        return (8, data);
    }
}
