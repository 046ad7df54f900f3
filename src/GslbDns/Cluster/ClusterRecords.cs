using System.Text.Json;
using System.Text.Json.Serialization;

namespace GslbDns.Cluster;

/// <summary>
/// A load report as the instance that accepted it shares it. <paramref name="Expires"/> lets an
/// instance that reads it later (after a resync) count only what is left of the ttl, not all of it.
/// </summary>
public sealed record LoadRecord(double? Cpu, double? Memory, long? Connections, long? Capacity, double? Utilization,
    double TtlSeconds, DateTimeOffset Expires, string Source, string Instance);

/// <summary>An API drain as shared: who set it, when, through which instance.</summary>
public sealed record DrainRecord(string Service, string Region, DateTimeOffset Since, string By, string Instance);

/// <summary>One instance as the others see it; rewritten every heartbeat under the instance's lease.</summary>
public sealed record MemberRecord(string Name, string Version, string? Api, DateTimeOffset Heartbeat, DateTimeOffset Started);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoadRecord))]
[JsonSerializable(typeof(DrainRecord))]
[JsonSerializable(typeof(MemberRecord))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext
{
    /// <summary>A record from etcd, or null when it is not one (written by something else): skipped, never a crash.</summary>
    public static T? TryRead<T>(ReadOnlySpan<byte> json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
