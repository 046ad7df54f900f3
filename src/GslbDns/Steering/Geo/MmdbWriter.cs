using System.Text;

namespace GslbDns.Steering.Geo;

/// <summary>What goes into a MaxMind DB file's metadata section.</summary>
public sealed record MmdbWriterOptions(
    string DatabaseType,
    IReadOnlyList<string> Languages,
    IReadOnlyDictionary<string, string> Description,
    ulong BuildEpoch)
{
    /// <summary>Forces 24, 28 or 32-bit records; null picks the smallest that fits.</summary>
    public int? RecordSize { get; init; }
}

public readonly record struct MmdbWriteResult(int NetworkCount, int DataRecordCount, int NodeCount, int RecordSize);

/// <summary>
/// Writes MaxMind DB format 2.0 files: an IPv6 binary search tree (24/28/32-bit records), a 16-byte zero
/// separator, the data section and the metadata after "\xAB\xCD\xEFMaxMind.com".
/// IPv4 networks live under ::/96 (where readers look for IPv4 addresses) and, as MaxMind's writers do,
/// that subtree is also aliased at ::ffff:0:0/96 (IPv4-mapped), 2001::/32 (Teredo) and 2002::/16 (6to4)
/// so those addresses find the data of the IPv4 address in the bits after the prefix.
/// </summary>
public static class MmdbWriter
{
    /// <summary>Where the IPv4 subtree is aliased (file positions); one that holds networks of its own keeps them instead.</summary>
    private static readonly (UInt128 Bits, int Length)[] Ipv4Aliases =
    [
        (IpPrefix.MappedPrefix, 96),
        ((UInt128)0x2001_0000 << 96, 32),
        ((UInt128)0x2002 << 112, 16),
    ];

    private const int Empty = -1;
    private static readonly byte[] MetadataMarker = [0xAB, 0xCD, 0xEF, .. Encoding.ASCII.GetBytes("MaxMind.com")];

    /// <summary>
    /// Writes the networks; where networks overlap the longer prefix wins inside its range and an exact
    /// repeat replaces the earlier entry. Identical data values are stored once.
    /// </summary>
    public static MmdbWriteResult Write(Stream output, IEnumerable<(IpPrefix Network, MmdbValue Data)> networks, MmdbWriterOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);

        // Distinct data values by their canonical encoding.
        var dataIndexByBytes = new Dictionary<string, int>(StringComparer.Ordinal);
        var dataValues = new List<MmdbValue>();
        var entries = new List<(UInt128 Bits, int Length, int Data)>();
        var hasIPv4 = false;
        foreach (var (network, data) in networks)
        {
            var key = Convert.ToBase64String(MmdbDataSectionWriter.Canonical(data));
            if (!dataIndexByBytes.TryGetValue(key, out var index))
            {
                index = dataValues.Count;
                dataValues.Add(data);
                dataIndexByBytes[key] = index;
            }
            var bits = network.Bits;
            if (network.IsIPv4)
            {
                // The file keeps IPv4 at ::a.b.c.d (IPv4-compatible); the mapped range becomes an alias.
                bits ^= IpPrefix.MappedPrefix;
                hasIPv4 = true;
            }
            entries.Add((bits, network.Length, index));
        }

        // Shorter prefixes first so that more specific networks overwrite the part they cover.
        var ordered = entries.Select((e, i) => (e, i)).OrderBy(x => x.e.Length).ThenBy(x => x.i).Select(x => x.e).ToList();
        var children = new List<int> { Empty, Empty };
        foreach (var (bits, length, data) in ordered)
        {
            SetRecord(children, bits, length, Leaf(data));
        }
        if (hasIPv4)
        {
            var ipv4 = RecordAt(children, UInt128.Zero, 96);
            foreach (var (aliasBits, aliasLength) in Ipv4Aliases)
            {
                var alias = new IpPrefix(aliasBits, aliasLength);
                if (!entries.Any(e => alias.Contains(new IpPrefix(e.Bits, e.Length))))
                {
                    SetRecord(children, aliasBits, aliasLength, ipv4);
                }
            }
        }

        // Number nodes breadth-first; the aliased IPv4 subtree is shared, so number each node once.
        var numberOf = new Dictionary<int, int> { [0] = 0 };
        var order = new List<int> { 0 };
        for (var i = 0; i < order.Count; i++)
        {
            var node = order[i];
            for (var side = 0; side < 2; side++)
            {
                var child = children[2 * node + side];
                if (child > 0 && !numberOf.ContainsKey(child))
                {
                    numberOf[child] = order.Count;
                    order.Add(child);
                }
            }
        }
        var nodeCount = order.Count;

        var dataSection = new MmdbDataSectionWriter(usePointers: true);
        var dataOffsets = new int[dataValues.Count];
        Array.Fill(dataOffsets, -1);
        var written = 0;
        foreach (var node in order)
        {
            for (var side = 0; side < 2; side++)
            {
                var child = children[2 * node + side];
                if (child < Empty)
                {
                    var index = DataIndex(child);
                    if (dataOffsets[index] < 0)
                    {
                        dataOffsets[index] = dataSection.Write(dataValues[index]);
                        written++;
                    }
                }
            }
        }
        var dataBytes = dataSection.ToArray();

        var maxRecord = (long)nodeCount + 16 + dataBytes.Length;
        var recordSize = maxRecord < (1L << 24) ? 24 : maxRecord < (1L << 28) ? 28 : 32;
        if (maxRecord >= (1L << 32))
        {
            throw new InvalidOperationException("database too large for 32-bit records");
        }
        if (options.RecordSize is { } forced)
        {
            if (forced is not (24 or 28 or 32) || forced < recordSize)
            {
                throw new ArgumentException($"record size {forced} cannot hold {maxRecord}", nameof(options));
            }
            recordSize = forced;
        }

        var tree = new byte[nodeCount * recordSize / 4];
        for (var n = 0; n < nodeCount; n++)
        {
            var node = order[n];
            var left = RecordValue(children[2 * node], numberOf, nodeCount, dataOffsets);
            var right = RecordValue(children[2 * node + 1], numberOf, nodeCount, dataOffsets);
            WriteNode(tree.AsSpan(n * recordSize / 4, recordSize / 4), recordSize, left, right);
        }

        var metadata = new MmdbDataSectionWriter(usePointers: false);
        metadata.Write(MmdbMap.Of(
            ("binary_format_major_version", new MmdbUInt16(2)),
            ("binary_format_minor_version", new MmdbUInt16(0)),
            ("build_epoch", new MmdbUInt64(options.BuildEpoch)),
            ("database_type", new MmdbString(options.DatabaseType)),
            ("description", new MmdbMap(options.Description.OrderBy(d => d.Key, StringComparer.Ordinal)
                .Select(d => new KeyValuePair<string, MmdbValue>(d.Key, new MmdbString(d.Value))).ToArray())),
            ("ip_version", new MmdbUInt16(6)),
            ("languages", new MmdbArray(options.Languages.Select(l => (MmdbValue)new MmdbString(l)).ToArray())),
            ("node_count", new MmdbUInt32((uint)nodeCount)),
            ("record_size", new MmdbUInt16((ushort)recordSize))));

        output.Write(tree);
        output.Write(new byte[16]);
        output.Write(dataBytes);
        output.Write(MetadataMarker);
        output.Write(metadata.ToArray());
        return new MmdbWriteResult(entries.Count, written, nodeCount, recordSize);
    }

    private static int Leaf(int dataIndex) => -2 - dataIndex;

    private static int DataIndex(int leaf) => -2 - leaf;

    private static int Bit(UInt128 bits, int depth) => (int)(bits >> (127 - depth)) & 1;

    /// <summary>Sets the record reached by the first <paramref name="length"/> bits, splitting leaves on the way.</summary>
    private static void SetRecord(List<int> children, UInt128 bits, int length, int value)
    {
        if (length == 0)
        {
            // ::/0 covers both halves of the root.
            children[0] = value;
            children[1] = value;
            return;
        }
        var node = 0;
        for (var depth = 0; depth < length - 1; depth++)
        {
            var slot = 2 * node + Bit(bits, depth);
            var child = children[slot];
            if (child <= 0)
            {
                // A leaf (or empty) above the new network: push it down to both halves.
                var created = children.Count / 2;
                children.Add(child);
                children.Add(child);
                children[slot] = created;
                child = created;
            }
            node = child;
        }
        children[2 * node + Bit(bits, length - 1)] = value;
    }

    /// <summary>The record value found after <paramref name="length"/> bits (a node, data or empty).</summary>
    private static int RecordAt(List<int> children, UInt128 bits, int length)
    {
        var node = 0;
        for (var depth = 0; depth < length; depth++)
        {
            var child = children[2 * node + Bit(bits, depth)];
            if (child <= 0 || depth == length - 1)
            {
                return child;
            }
            node = child;
        }
        return Empty;
    }

    private static uint RecordValue(int child, Dictionary<int, int> numberOf, int nodeCount, int[] dataOffsets)
    {
        if (child > 0)
        {
            return (uint)numberOf[child];
        }
        if (child == Empty)
        {
            return (uint)nodeCount;
        }
        // Data pointers are node_count + 16 (the separator) + offset into the data section.
        return (uint)(nodeCount + 16 + dataOffsets[DataIndex(child)]);
    }

    private static void WriteNode(Span<byte> target, int recordSize, uint left, uint right)
    {
        switch (recordSize)
        {
            case 24:
                target[0] = (byte)(left >> 16);
                target[1] = (byte)(left >> 8);
                target[2] = (byte)left;
                target[3] = (byte)(right >> 16);
                target[4] = (byte)(right >> 8);
                target[5] = (byte)right;
                break;
            case 28:
                // The middle byte holds the top nibble of the left record and then of the right record.
                target[0] = (byte)(left >> 16);
                target[1] = (byte)(left >> 8);
                target[2] = (byte)left;
                target[3] = (byte)(((left >> 20) & 0xF0) | ((right >> 24) & 0x0F));
                target[4] = (byte)(right >> 16);
                target[5] = (byte)(right >> 8);
                target[6] = (byte)right;
                break;
            default:
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(target, left);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(target[4..], right);
                break;
        }
    }
}
