using MaxMind.Db;

namespace GslbDns.Steering.Geo;

/// <summary>
/// Walks a MaxMind DB search tree (MaxMind DB format 2.0, "Binary Search Tree Section") to enumerate
/// every network that has data, checking each record as it goes. Networks come out in the 128-bit key
/// space of <see cref="IpPrefix"/>: IPv4 data (kept by the file under ::/96, or at the root for
/// ip_version 4 files) is reported under ::ffff:0:0/96, and the file's aliases of the IPv4 subtree
/// (::ffff:0:0/96, and 2001::/32 and 2002::/16 in MaxMind's files) are skipped rather than walked again
/// and reported as aliases instead.
/// </summary>
internal sealed class MmdbSearchTree
{
    private readonly byte[] _tree;
    private readonly uint _nodeCount;
    private readonly int _recordSize;
    private readonly long _dataSectionSize;
    private readonly int _ipVersion;

    public MmdbSearchTree(byte[] tree, MmdbMetadata metadata, long dataSectionSize)
    {
        _tree = tree;
        _nodeCount = metadata.NodeCount;
        _recordSize = metadata.RecordSize;
        _ipVersion = metadata.IPVersion;
        _dataSectionSize = dataSectionSize;
    }

    /// <summary>Reads the tree of an open file (held by handle, so a replaced path does not matter).</summary>
    public static MmdbSearchTree Read(Microsoft.Win32.SafeHandles.SafeFileHandle file, MmdbMetadata metadata, long metadataStart)
    {
        var tree = new byte[checked((int)metadata.SearchTreeSize)];
        var read = 0;
        while (read < tree.Length)
        {
            var n = RandomAccess.Read(file, tree.AsSpan(read), read);
            if (n == 0)
            {
                throw new InvalidDatabaseException("file ends inside the search tree");
            }
            read += n;
        }
        return new MmdbSearchTree(tree, metadata, metadataStart - metadata.SearchTreeSize - 16);
    }

    /// <summary>
    /// Calls <paramref name="onNetwork"/> for each network with data: its prefix and the data pointer
    /// (the offset of the record in the data section). Throws <see cref="InvalidDatabaseException"/>
    /// for records that point outside the tree or data section, or for loops in the tree.
    /// </summary>
    /// <returns>
    /// The networks that the tree points at its IPv4 subtree (MaxMind DB spec, "IPv4 addresses in an
    /// IPv6 tree"), in the 128-bit key space: a reader looking up an address in one of them walks the
    /// bits after the alias prefix as an IPv4 address. ::/96 itself is one (IPv4-compatible addresses
    /// reach the subtree where it is kept); ::ffff:0:0/96 is not, since our key space keeps IPv4 there.
    /// </returns>
    public IReadOnlyList<IpPrefix> Walk(Action<IpPrefix, uint> onNetwork)
    {
        var ipv4Root = _ipVersion == 6 ? FollowZeros(96) : uint.MaxValue;
        var baseDepth = _ipVersion == 6 ? 0 : 96;
        var baseBits = _ipVersion == 6 ? UInt128.Zero : IpPrefix.MappedPrefix;
        var budget = 2L * _nodeCount + 256;
        var aliases = new List<IpPrefix>();
        if (ipv4Root != uint.MaxValue)
        {
            aliases.Add(new IpPrefix(UInt128.Zero, 96));
        }
        var stack = new Stack<(uint Node, int Depth, UInt128 Bits)>();
        stack.Push((0, baseDepth, baseBits));
        while (stack.Count > 0)
        {
            var (node, depth, bits) = stack.Pop();
            if (--budget < 0)
            {
                throw new InvalidDatabaseException("search tree has loops or more paths than nodes");
            }
            if (depth >= 128)
            {
                throw new InvalidDatabaseException($"search tree is deeper than 128 bits at node {node}");
            }
            // Right first so that the left (lower) half pops first and networks come out in address order.
            for (var side = 1; side >= 0; side--)
            {
                var record = ReadRecord(node, side);
                var childBits = side == 1 ? bits | (UInt128.One << (127 - depth)) : bits;
                var childDepth = depth + 1;
                if (record < _nodeCount)
                {
                    if (record == ipv4Root && !(childDepth == 96 && childBits == UInt128.Zero))
                    {
                        if (childDepth <= 96 && !(childDepth == 96 && childBits == IpPrefix.MappedPrefix))
                        {
                            aliases.Add(new IpPrefix(childBits, childDepth));
                        }
                        continue;
                    }
                    stack.Push((record, childDepth, childBits));
                }
                else if (record > _nodeCount)
                {
                    var offset = (long)record - _nodeCount - 16;
                    if (offset < 0 || offset >= _dataSectionSize)
                    {
                        throw new InvalidDatabaseException($"search tree record {record} at node {node} points outside the data section");
                    }
                    Emit(childBits, childDepth, (uint)offset, onNetwork);
                }
            }
        }
        aliases.Sort((a, b) => a.Bits.CompareTo(b.Bits));
        return aliases;
    }

    private static void Emit(UInt128 bits, int depth, uint offset, Action<IpPrefix, uint> onNetwork)
    {
        if (depth >= 96 && (bits >> 32) == 0)
        {
            // IPv4 as the file keeps it (::a.b.c.d); our key space holds it as ::ffff:a.b.c.d.
            onNetwork(new IpPrefix(bits | IpPrefix.MappedPrefix, depth), offset);
            return;
        }
        onNetwork(new IpPrefix(bits, depth), offset);
        if (depth < 96 && new IpPrefix(bits, depth).Contains(UInt128.Zero) && !new IpPrefix(bits, depth).Contains(IpPrefix.MappedPrefix))
        {
            // A record covering all of ::/96 also covers all of IPv4.
            onNetwork(new IpPrefix(IpPrefix.MappedPrefix, 96), offset);
        }
    }

    /// <summary>The node reached by following <paramref name="bits"/> zero bits, or uint.MaxValue.</summary>
    private uint FollowZeros(int bits)
    {
        uint node = 0;
        for (var i = 0; i < bits; i++)
        {
            if (node >= _nodeCount)
            {
                return uint.MaxValue;
            }
            node = ReadRecord(node, 0);
        }
        return node < _nodeCount ? node : uint.MaxValue;
    }

    private uint ReadRecord(uint node, int side)
    {
        var bytesPerNode = _recordSize / 4;
        var at = (long)node * bytesPerNode;
        var b = _tree.AsSpan(checked((int)at), bytesPerNode);
        return _recordSize switch
        {
            24 => side == 0
                ? (uint)((b[0] << 16) | (b[1] << 8) | b[2])
                : (uint)((b[3] << 16) | (b[4] << 8) | b[5]),
            28 => side == 0
                ? (uint)(((b[3] & 0xF0) << 20) | (b[0] << 16) | (b[1] << 8) | b[2])
                : (uint)(((b[3] & 0x0F) << 24) | (b[4] << 16) | (b[5] << 8) | b[6]),
            _ => side == 0
                ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b)
                : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b[4..]),
        };
    }
}
