using System.Net;
using GslbDns.Steering.State;

namespace GslbDns.Cluster;

/// <summary>
/// Where each shared thing lives under the prefix, always by names (never by a policy's positions),
/// so the keys mean the same after any reload and on every instance:
/// <c>load/SERVICE/REGION</c>, <c>drains/SERVICE/REGION</c>, <c>health/INSTANCE/SERVICE/REGION/ADDRESS</c>
/// and <c>members/INSTANCE</c>. Each segment is percent-escaped, so a region name with a '/' cannot
/// reach into another key.
/// </summary>
public sealed class ClusterKeys(string prefix)
{
    public const string LoadFolder = "load/";
    public const string DrainFolder = "drains/";
    public const string HealthFolder = "health/";
    public const string MemberFolder = "members/";

    public string Prefix { get; } = prefix;

    public string Load(RegionKey region) => Prefix + LoadFolder + Region(region);

    public string Drain(RegionKey region) => Prefix + DrainFolder + Region(region);

    public string Health(string instance, AddressKey address) =>
        Prefix + HealthFolder + Escape(instance) + "/" + Region(address.RegionKey) + "/" + Escape(address.AddressText());

    public string Member(string instance) => Prefix + MemberFolder + Escape(instance);

    /// <summary>What a key under the prefix names; <see cref="ClusterKey.Kind"/> is <see cref="ClusterKeyKind.Unknown"/> for anything else.</summary>
    public ClusterKey Parse(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal)) return default;
        var rest = key.AsSpan(Prefix.Length).ToString();
        var parts = rest.Split('/');
        switch (parts[0] + "/")
        {
            case LoadFolder when parts.Length == 3 && TryRegion(parts[1], parts[2], out var load):
                return new ClusterKey(ClusterKeyKind.Load, null, load, null);
            case DrainFolder when parts.Length == 3 && TryRegion(parts[1], parts[2], out var drain):
                return new ClusterKey(ClusterKeyKind.Drain, null, drain, null);
            case HealthFolder when parts.Length == 5 && TryRegion(parts[2], parts[3], out var region)
                                   && IPAddress.TryParse(Uri.UnescapeDataString(parts[4]), out var address):
                return new ClusterKey(ClusterKeyKind.Health, Uri.UnescapeDataString(parts[1]), region, ToKey(address));
            case MemberFolder when parts.Length == 2:
                return new ClusterKey(ClusterKeyKind.Member, Uri.UnescapeDataString(parts[1]), default, null);
            default:
                return default;
        }
    }

    /// <summary>The address as the state store keys it (IPv4 as ::ffff:a.b.c.d).</summary>
    public static UInt128 ToKey(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        (address.IsIPv4MappedToIPv6 || address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv6() : address)
            .TryWriteBytes(bytes, out _);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static string Region(RegionKey region) => Escape(region.Service.ToString().TrimEnd('.')) + "/" + Escape(region.Region);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static bool TryRegion(string service, string region, out RegionKey key)
    {
        key = default;
        string name = Uri.UnescapeDataString(service), regionName = Uri.UnescapeDataString(region);
        if (regionName.Length == 0 || !DnsName.TryParse(name.TrimEnd('.') + ".", null, out var dns, out _)) return false;
        key = new RegionKey(dns, regionName);
        return true;
    }
}

public enum ClusterKeyKind
{
    Unknown,
    Load,
    Drain,
    Health,
    Member,
}

/// <summary>A parsed key: the instance (health votes, members), the region and the address (health votes).</summary>
public readonly record struct ClusterKey(ClusterKeyKind Kind, string? Instance, RegionKey Region, UInt128? Address);
