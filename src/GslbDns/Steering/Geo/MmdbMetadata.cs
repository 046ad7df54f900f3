using System.Text;
using MaxMind.Db;

namespace GslbDns.Steering.Geo;

/// <summary>The fields of a MaxMind DB metadata section that locate and describe the search tree.</summary>
public sealed record MmdbMetadata(
    uint NodeCount,
    int RecordSize,
    int IPVersion,
    string DatabaseType,
    int BinaryFormatMajorVersion,
    ulong BuildEpoch)
{
    private static readonly byte[] Marker = [0xAB, 0xCD, 0xEF, .. Encoding.ASCII.GetBytes("MaxMind.com")];

    // The spec limits the metadata section to the last 128 KiB of the file.
    private const int MaxMetadataSize = 128 * 1024;

    /// <summary>Size of the search tree in bytes: two records per node.</summary>
    public long SearchTreeSize => (long)NodeCount * RecordSize / 4;

    /// <summary>Finds the last metadata marker in the file tail and validates what it needs.</summary>
    public static MmdbMetadata Read(ReadOnlySpan<byte> tail, long fileLength)
    {
        var at = tail.LastIndexOf(Marker);
        if (at < 0)
        {
            throw new InvalidDatabaseException("no MaxMind DB metadata marker found (not an .mmdb file?)");
        }
        var section = tail[(at + Marker.Length)..];
        var offset = 0;
        if (MmdbDataDecoder.Decode(section, ref offset) is not Dictionary<string, object> map)
        {
            throw new InvalidDatabaseException("metadata is not a map");
        }
        var metadata = new MmdbMetadata(
            (uint)Unsigned(map, "node_count", uint.MaxValue),
            (int)Unsigned(map, "record_size", 32),
            (int)Unsigned(map, "ip_version", 6),
            map.TryGetValue("database_type", out var type) && type is string s ? s : throw new InvalidDatabaseException("metadata has no database_type"),
            (int)Unsigned(map, "binary_format_major_version", ushort.MaxValue),
            map.ContainsKey("build_epoch") ? Unsigned(map, "build_epoch", ulong.MaxValue) : 0);
        if (metadata.RecordSize is not (24 or 28 or 32))
        {
            throw new InvalidDatabaseException($"unsupported record_size {metadata.RecordSize}");
        }
        if (metadata.IPVersion is not (4 or 6))
        {
            throw new InvalidDatabaseException($"unsupported ip_version {metadata.IPVersion}");
        }
        if (metadata.BinaryFormatMajorVersion != 2)
        {
            throw new InvalidDatabaseException($"unsupported binary format version {metadata.BinaryFormatMajorVersion}");
        }
        var metadataStart = fileLength - tail.Length + at;
        if (metadata.SearchTreeSize + 16 > metadataStart)
        {
            throw new InvalidDatabaseException($"node_count {metadata.NodeCount} does not fit the file (search tree larger than the file)");
        }
        return metadata;
    }

    public static int TailLength(long fileLength) => (int)Math.Min(fileLength, MaxMetadataSize);

    private static ulong Unsigned(Dictionary<string, object> map, string key, ulong max)
    {
        if (!map.TryGetValue(key, out var value))
        {
            throw new InvalidDatabaseException($"metadata has no {key}");
        }
        if (value is not ulong u || u > max)
        {
            throw new InvalidDatabaseException($"metadata {key} is not an unsigned integer up to {max}");
        }
        return u;
    }
}
