using System.Text.Json;

namespace GslbDns.Reporting;

/// <summary>One report as the server's <c>POST /api/v1/load/{service}/{region}</c> takes it; null fields are left out.</summary>
public sealed record ReportBody(double? Cpu, double? Memory, long? Connections, long? Capacity, int Ttl)
{
    /// <summary>True when there is at least one load field (capacity alone is none), which the server requires.</summary>
    public bool HasLoad => Cpu is not null || Memory is not null || Connections is not null;

    /// <summary>
    /// The JSON body. Fractions are rounded to four places: finer digits are sampling noise, and the
    /// short form keeps log lines readable.
    /// </summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Cpu is { } cpu) json.WriteNumber("cpu", Math.Round(cpu, 4));
            if (Memory is { } memory) json.WriteNumber("memory", Math.Round(memory, 4));
            if (Connections is { } connections) json.WriteNumber("connections", connections);
            if (Capacity is { } capacity) json.WriteNumber("capacity", capacity);
            json.WriteNumber("ttl", Ttl);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
