using GslbDns.Pipeline;

namespace GslbDns.Steering.Geo;

/// <summary>
/// A compiled look-up from client address to a steering outcome: one binary trie over the 128-bit key
/// space (IPv4 at ::ffff:0:0/96) stored in a flat array, whose leaves are already classified and where
/// neighbouring ranges with the same outcome are merged. A query is one walk of at most 128 steps with
/// no allocation and no record decoding; the leaf depth is the widest network with the same answer,
/// which is what an ECS response may claim as its scope (RFC 7871 section 7.2.1).
/// </summary>
public sealed class GeoTree
{
    // _children[2n] / [2n+1]: the 0 and 1 halves of node n; >= 0 is a node, < 0 is a leaf ~k with outcome _outcomes[k].
    private readonly int[] _children;
    private readonly int[] _outcomes;
    private readonly int _root;
    private readonly GeoDatabaseSet? _databases;

    // Where the walk stands after the first 16 bits of an IPv6 address, or after ::ffff: and the first
    // 16 bits of an IPv4 address: the node or leaf value and its depth (less when a leaf came first).
    // This skips the 96 shared steps to the IPv4 space and the sparse top of the IPv6 space.
    private const int StrideBits = 16;
    private readonly int[] _ipv6Start = new int[1 << StrideBits];
    private readonly byte[] _ipv6StartDepth = new byte[1 << StrideBits];
    private readonly int[] _ipv4Start = new int[1 << StrideBits];
    private readonly byte[] _ipv4StartDepth = new byte[1 << StrideBits];

    internal GeoTree(int[] children, int[] outcomes, int root, GeoDatabaseSet? databases)
    {
        _children = children;
        _outcomes = outcomes;
        _root = root;
        _databases = databases;
        var (mappedValue, mappedDepth) = Walk(root, 0, IpPrefix.MappedPrefix, 96);
        for (var i = 0; i < 1 << StrideBits; i++)
        {
            (_ipv6Start[i], var v6Depth) = Walk(root, 0, (UInt128)(uint)i << (128 - StrideBits), StrideBits);
            _ipv6StartDepth[i] = (byte)v6Depth;
            (_ipv4Start[i], var v4Depth) = Walk(mappedValue, mappedDepth, IpPrefix.MappedPrefix | ((uint)i << 16), 96 + StrideBits);
            _ipv4StartDepth[i] = (byte)v4Depth;
        }
    }

    private (int Value, int Depth) Walk(int value, int depth, UInt128 bits, int until)
    {
        while (value >= 0 && depth < until)
        {
            value = _children[2 * value + (int)((bits >> (127 - depth)) & UInt128.One)];
            depth++;
        }
        return (value, depth);
    }

    /// <summary>Nodes in the compiled trie (each 8 bytes).</summary>
    public int NodeCount => _children.Length / 2;

    /// <summary>The databases the tree was compiled from, for <see cref="LookupFacts"/>.</summary>
    public GeoDatabaseSet? Databases => _databases;

    /// <summary>
    /// Compiles databases and a classifier into a tree.
    /// </summary>
    /// <param name="databases">Databases in priority order (null: every address is unknown).</param>
    /// <param name="extraSplits">CIDRs (IPv4 as ::ffff:a.b.c.d/96+n) that leaves must not straddle, e.g. the CIDR lists of topology rules.</param>
    /// <param name="classify">
    /// Maps facts and the start of a range to an outcome. Called once per distinct combination of facts
    /// and membership in <paramref name="extraSplits"/>, with the start of one such range; so it must
    /// depend on the address only through that membership. Facts carry no MatchedNetwork here.
    /// </param>
    public static GeoTree Compile(GeoDatabaseSet? databases, IReadOnlyList<(UInt128 Prefix, int Length)> extraSplits, Func<GeoFacts, UInt128, int> classify)
    {
        ArgumentNullException.ThrowIfNull(extraSplits);
        ArgumentNullException.ThrowIfNull(classify);
        return new GeoTreeCompiler().Compile(databases, extraSplits, classify);
    }

    /// <summary>As <see cref="Compile(GeoDatabaseSet?, IReadOnlyList{ValueTuple{UInt128, int}}, Func{GeoFacts, UInt128, int})"/>, from the trie of <paramref name="databases"/> that <see cref="GeoTreeCompiler.Prepare"/> built (left unchanged).</summary>
    internal static GeoTree Compile(GeoTreeCompiler.Prepared prepared, GeoDatabaseSet? databases, IReadOnlyList<(UInt128 Prefix, int Length)> extraSplits, Func<GeoFacts, UInt128, int> classify)
    {
        ArgumentNullException.ThrowIfNull(extraSplits);
        ArgumentNullException.ThrowIfNull(classify);
        return new GeoTreeCompiler().Compile(prepared, databases, extraSplits, classify);
    }

    /// <summary>
    /// The outcome for an address, and in <paramref name="scopePrefix"/> the prefix length over which it
    /// holds: IPv6 bits, or IPv4 bits for IPv4(-mapped) addresses (0 when all of IPv4 has one outcome).
    /// </summary>
    public int Lookup(ClientAddress address, out int scopePrefix)
    {
        var children = _children;
        var high = (ulong)(address.Bits >> 64);
        var low = (ulong)address.Bits;
        int value;
        int depth;
        if (high == 0 && (low >> 32) == 0xffff)
        {
            var start = (int)((uint)low >> 16);
            value = _ipv4Start[start];
            depth = _ipv4StartDepth[start];
        }
        else
        {
            var start = (int)(high >> (64 - StrideBits));
            value = _ipv6Start[start];
            depth = _ipv6StartDepth[start];
        }
        while (value >= 0 && depth < 64)
        {
            value = children[2 * value + (int)((high >> (63 - depth)) & 1)];
            depth++;
        }
        while (value >= 0)
        {
            value = children[2 * value + (int)((low >> (127 - depth)) & 1)];
            depth++;
        }
        scopePrefix = address.IsIPv4 ? Math.Max(0, depth - 96) : depth;
        return _outcomes[~value];
    }

    /// <summary>What the databases say about an address, for explaining a decision; not for the query path.</summary>
    public GeoFacts LookupFacts(ClientAddress address) => _databases?.Lookup(address) ?? GeoFacts.Unknown;
}
