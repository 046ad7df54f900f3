namespace GslbDns.Steering.Geo;

/// <summary>
/// Builds a <see cref="GeoTree"/>: a mutable binary trie over the 128-bit key space whose leaves hold
/// the merged facts of every database, split further at each extra CIDR, then classified once per
/// distinct (facts, CIDR membership) and flattened with equal neighbours merged.
/// </summary>
/// <remarks>
/// A database's aliases of its IPv4 subtree (2002::/16, 2001::/32, ::/96 in MaxMind's IPv6 files; see
/// <see cref="GeoDatabase.Ipv4Aliases"/>) are followed as its readers follow them: an alias that every
/// database has becomes a second reference to the IPv4 subtree of the trie, so 2002:5102:4590::/44 has
/// the facts of 81.2.69.144/28 at no cost in nodes, and its scope is 16 + 28 bits. Reserved networks
/// and extra CIDRs still apply to the address as written: a shared node is copied on the path to
/// anything written below it, and the flattening of a shared node is reused for each path that reaches
/// it with the same CIDR membership. An alias only some databases have is filled by copying.
/// </remarks>
internal sealed class GeoTreeCompiler
{
    // Slot values: >= 0 is a child node (the root, node 0, is never a child); < 0 is a leaf holding
    // facts index ~value. Facts index 0 is "unknown".
    private int[] _slots = new int[2 * 1024];
    private int _nodeCount = 1;

    // Nodes reached by more than one path (through an alias) and by how many; every other node by one.
    private readonly Dictionary<int, int> _sharedRefs = new();
    private readonly Dictionary<(int Node, int Set), Flat> _flattenedShared = new();

    private readonly List<GeoFacts> _facts = [GeoFacts.Unknown];
    private readonly Dictionary<GeoFacts, int> _factsIndex = new() { [GeoFacts.Unknown] = 0 };
    private readonly Dictionary<(int Facts, int Database, int Record), int> _merged = new();

    // Extra CIDRs: the slot where each one ends, and interned sets of CIDRs a leaf lies in.
    private readonly Dictionary<int, List<int>> _splitsAtSlot = new();
    private readonly Dictionary<(int Set, int Split), int> _splitSets = new();
    private int _rootSplitSet;

    private readonly Dictionary<(int Facts, int Set), int> _outcomes = new();
    private int[] _outcomeOutsideSplits = [];
    private readonly List<int> _flatChildren = [];
    private readonly List<int> _flatOutcomes = [];
    private readonly Dictionary<int, int> _flatOutcomeIndex = new();
    private Func<GeoFacts, UInt128, int> _classify = (_, _) => 0;

    public int ClassifyCalls { get; private set; }

    public int TrieNodes => _nodeCount;

    public long TrieBytes => (long)_slots.Length * sizeof(int);

    public int DistinctFacts => _facts.Count;

    /// <summary>
    /// The trie of a database set with the reserved networks applied, before any service's CIDRs: the
    /// part of a compilation that is the same for every service. Building it walks every network of
    /// every database, about half the work of compiling one service of a City database; services that
    /// classify differently still share it (see <see cref="GeoTreeCache"/>).
    /// </summary>
    internal sealed class Prepared
    {
        internal Prepared(int[] slots, int nodeCount, Dictionary<int, int> sharedRefs, List<GeoFacts> facts)
        {
            (Slots, NodeCount, SharedRefs, Facts) = (slots, nodeCount, sharedRefs, facts);
        }

        internal int[] Slots { get; }

        internal int NodeCount { get; }

        internal Dictionary<int, int> SharedRefs { get; }

        internal List<GeoFacts> Facts { get; }

        /// <summary>Bytes the trie holds while it is kept.</summary>
        public long Bytes => (long)Slots.Length * sizeof(int);
    }

    /// <summary>Walks the databases into a trie every service's compilation can start from.</summary>
    public static Prepared Prepare(GeoDatabaseSet? databases)
    {
        var compiler = new GeoTreeCompiler();
        compiler.ApplyDatabases(databases);
        return new Prepared(compiler._slots, compiler._nodeCount, compiler._sharedRefs, compiler._facts);
    }

    public GeoTree Compile(GeoDatabaseSet? databases, IReadOnlyList<(UInt128 Prefix, int Length)> extraSplits, Func<GeoFacts, UInt128, int> classify) =>
        Compile(Prepare(databases), databases, extraSplits, classify);

    /// <summary>
    /// Compiles one classifier from a prepared trie, which stays unchanged: without extra CIDRs the
    /// flattening only reads it; with them this compilation splits a copy.
    /// </summary>
    public GeoTree Compile(Prepared prepared, GeoDatabaseSet? databases, IReadOnlyList<(UInt128 Prefix, int Length)> extraSplits, Func<GeoFacts, UInt128, int> classify)
    {
        _classify = classify;
        _facts.Clear();
        _facts.AddRange(prepared.Facts);
        _nodeCount = prepared.NodeCount;
        _sharedRefs.Clear();
        if (extraSplits.Count == 0)
        {
            _slots = prepared.Slots;
            foreach (var (node, refs) in prepared.SharedRefs)
            {
                _sharedRefs[node] = refs;
            }
        }
        else
        {
            _slots = new int[2 * prepared.NodeCount + 2 * 128 * extraSplits.Count + 2];
            Array.Copy(prepared.Slots, _slots, 2 * prepared.NodeCount);
            foreach (var (node, refs) in prepared.SharedRefs)
            {
                _sharedRefs[node] = refs;
            }
        }
        for (var i = 0; i < extraSplits.Count; i++)
        {
            var (prefix, length) = extraSplits[i];
            if (length is < 0 or > 128)
            {
                throw new ArgumentOutOfRangeException(nameof(extraSplits), $"prefix length {length} is outside 0-128");
            }
            Split(prefix & IpPrefix.Mask(length), length, i);
        }

        var root = Flatten(0, 0, UInt128.Zero, _rootSplitSet);
        var rootValue = Encode(root);
        return new GeoTree(_flatChildren.ToArray(), _flatOutcomes.ToArray(), rootValue, databases);
    }

    private void ApplyDatabases(GeoDatabaseSet? databases)
    {
        _slots[0] = ~0;
        _slots[1] = ~0;
        if (databases is not null)
        {
            var shared = SharedAliases(databases.Databases);
            for (var d = 0; d < databases.Databases.Count; d++)
            {
                var database = d;
                var own = databases.Databases[d].Ipv4Aliases.Where(a => !shared.Contains(a)).ToArray();
                databases.Databases[d].Enumerate((network, record, facts) =>
                {
                    Apply(network.Bits, network.Length, database, record, facts);
                    if (network.IsIPv4)
                    {
                        foreach (var alias in own)
                        {
                            var aliased = Aliased(network, alias);
                            Apply(aliased.Bits, aliased.Length, database, record, facts);
                        }
                    }
                });
            }
            foreach (var alias in shared)
            {
                Graft(alias);
            }
        }
        foreach (var reserved in ReservedNetworks.All)
        {
            Apply(reserved.Bits, reserved.Length, Reserved, 0, GeoFacts.Unknown);
        }
    }

    /// <summary>Aliases every database has: only those can share the IPv4 subtree, since a leaf's facts merge all databases.</summary>
    private static HashSet<IpPrefix> SharedAliases(IReadOnlyList<GeoDatabase> databases)
    {
        if (databases.Count == 0)
        {
            return [];
        }
        var shared = new HashSet<IpPrefix>(databases[0].Ipv4Aliases);
        foreach (var database in databases.Skip(1))
        {
            shared.IntersectWith(database.Ipv4Aliases);
        }
        return shared;
    }

    /// <summary>Where an IPv4 network (::ffff:a.b.c.d/96+n) sits inside an alias: its n bits follow the alias prefix.</summary>
    private static IpPrefix Aliased(IpPrefix network, IpPrefix alias) =>
        new(alias.Bits | ((UInt128)(uint)network.Bits << (96 - alias.Length)), alias.Length + network.Length - 96);

    /// <summary>Points the alias at the IPv4 subtree (::ffff:0:0/96), which every database left empty there.</summary>
    private void Graft(IpPrefix alias)
    {
        var target = Descend(IpPrefix.MappedPrefix, 96);
        var slot = alias.Length == 0 ? -1 : Descend(alias.Bits, alias.Length);
        if (slot < 0 || _slots[slot] != ~0)
        {
            return;
        }
        var value = _slots[target];
        if (value >= 0)
        {
            AddRef(value);
        }
        _slots[slot] = value;
    }

    private int Refs(int node) => _sharedRefs.Count != 0 && _sharedRefs.TryGetValue(node, out var refs) ? refs : 1;

    private void AddRef(int node) => _sharedRefs[node] = Refs(node) + 1;

    /// <summary>A private copy of a shared node for the path being written; its children become shared.</summary>
    private int Unshare(int node)
    {
        var copy = NewNode(~0);
        for (var side = 0; side < 2; side++)
        {
            var child = _slots[2 * node + side];
            _slots[2 * copy + side] = child;
            if (child >= 0)
            {
                AddRef(child);
            }
        }
        var refs = Refs(node) - 1;
        if (refs <= 1)
        {
            _sharedRefs.Remove(node);
        }
        else
        {
            _sharedRefs[node] = refs;
        }
        return copy;
    }

    private int MergeFacts(int facts, int database, int record, GeoFacts newFacts)
    {
        if (!_merged.TryGetValue((facts, database, record), out var merged))
        {
            // Databases are applied in priority order and each one's networks are disjoint, so a leaf
            // holds the merge of the earlier databases only and fills its gaps from this one.
            merged = Intern(_facts[facts].Merge(newFacts));
            _merged[(facts, database, record)] = merged;
        }
        return merged;
    }

    private int Intern(GeoFacts facts)
    {
        if (!_factsIndex.TryGetValue(facts, out var index))
        {
            index = _facts.Count;
            _facts.Add(facts);
            _factsIndex[facts] = index;
        }
        return index;
    }

    private const int Reserved = -1;

    /// <summary>
    /// Merges a database record into every leaf inside prefix/length, or (database
    /// <see cref="Reserved"/>) makes them unknown.
    /// </summary>
    private void Apply(UInt128 bits, int length, int database, int record, GeoFacts facts)
    {
        if (length == 0)
        {
            ApplySubtree(0, database, record, facts);
            ApplySubtree(1, database, record, facts);
            return;
        }
        ApplySubtree(Descend(bits, length), database, record, facts);
    }

    /// <summary>The slot reached after <paramref name="length"/> bits, splitting leaves on the way.</summary>
    private int Descend(UInt128 bits, int length)
    {
        var node = 0;
        for (var depth = 0; ; depth++)
        {
            var slot = 2 * node + (int)((bits >> (127 - depth)) & UInt128.One);
            if (depth == length - 1)
            {
                return slot;
            }
            var value = _slots[slot];
            if (value < 0)
            {
                value = NewNode(value);
                _slots[slot] = value;
            }
            else if (Refs(value) > 1)
            {
                value = Unshare(value);
                _slots[slot] = value;
            }
            node = value;
        }
    }

    private void ApplySubtree(int slot, int database, int record, GeoFacts facts)
    {
        var value = _slots[slot];
        if (value < 0)
        {
            _slots[slot] = ~(database == Reserved ? 0 : MergeFacts(~value, database, record, facts));
            return;
        }
        if (Refs(value) > 1)
        {
            value = Unshare(value);
            _slots[slot] = value;
        }
        ApplySubtree(2 * value, database, record, facts);
        ApplySubtree(2 * value + 1, database, record, facts);
    }

    private void Split(UInt128 bits, int length, int split)
    {
        if (length == 0)
        {
            _rootSplitSet = AddSplit(_rootSplitSet, split);
            return;
        }
        var slot = Descend(bits, length);
        if (!_splitsAtSlot.TryGetValue(slot, out var splits))
        {
            _splitsAtSlot[slot] = splits = [];
        }
        splits.Add(split);
    }

    private int AddSplit(int set, int split)
    {
        if (!_splitSets.TryGetValue((set, split), out var next))
        {
            next = _splitSets.Count + 1;
            _splitSets[(set, split)] = next;
        }
        return next;
    }

    private int NewNode(int leaf)
    {
        if (2 * _nodeCount + 2 > _slots.Length)
        {
            Array.Resize(ref _slots, checked(_slots.Length * 2));
        }
        var node = _nodeCount++;
        _slots[2 * node] = leaf;
        _slots[2 * node + 1] = leaf;
        return node;
    }

    private readonly record struct Flat(bool IsLeaf, int Value);

    /// <summary>Classifies and emits the subtree of <paramref name="node"/>; leaves come back unemitted so a parent can merge them.</summary>
    private Flat Flatten(int node, int depth, UInt128 bits, int splitSet)
    {
        Span<Flat> halves = stackalloc Flat[2];
        for (var side = 0; side < 2; side++)
        {
            var slot = 2 * node + side;
            var childBits = side == 0 ? bits : bits | (UInt128.One << (127 - depth));
            var childSet = splitSet;
            // Most services have no CIDR rules: skip ten million dictionary probes of an empty map.
            if (_splitsAtSlot.Count != 0 && _splitsAtSlot.TryGetValue(slot, out var splits))
            {
                foreach (var split in splits)
                {
                    childSet = AddSplit(childSet, split);
                }
            }
            var value = _slots[slot];
            halves[side] = value < 0
                ? new Flat(true, Classify(~value, childSet, childBits))
                : Refs(value) > 1
                    ? FlattenShared(value, depth + 1, childBits, childSet)
                    : Flatten(value, depth + 1, childBits, childSet);
        }
        if (halves[0].IsLeaf && halves[1].IsLeaf && halves[0].Value == halves[1].Value)
        {
            return halves[0];
        }
        var index = _flatChildren.Count / 2;
        _flatChildren.Add(Encode(halves[0]));
        _flatChildren.Add(Encode(halves[1]));
        return new Flat(false, index);
    }

    /// <summary>
    /// A shared node flattens alike on every path that reaches it with the same CIDR membership (the
    /// classifier sees the address only through that), so the flat tree shares it too.
    /// </summary>
    private Flat FlattenShared(int node, int depth, UInt128 bits, int splitSet)
    {
        if (!_flattenedShared.TryGetValue((node, splitSet), out var flat))
        {
            flat = Flatten(node, depth, bits, splitSet);
            _flattenedShared[(node, splitSet)] = flat;
        }
        return flat;
    }

    private int Encode(Flat flat)
    {
        if (!flat.IsLeaf)
        {
            return flat.Value;
        }
        if (!_flatOutcomeIndex.TryGetValue(flat.Value, out var index))
        {
            index = _flatOutcomes.Count;
            _flatOutcomes.Add(flat.Value);
            _flatOutcomeIndex[flat.Value] = index;
        }
        return ~index;
    }

    private int Classify(int facts, int splitSet, UInt128 rangeStart)
    {
        // Outside every extra CIDR (set 0, nearly every leaf) the outcome depends on the facts alone:
        // an array indexed by facts, not a dictionary probe per leaf.
        if (splitSet == 0)
        {
            if (_outcomeOutsideSplits.Length <= facts)
            {
                var grown = new int[Math.Max(_facts.Count, facts + 1)];
                Array.Fill(grown, -1);
                _outcomeOutsideSplits.CopyTo(grown, 0);
                _outcomeOutsideSplits = grown;
            }
            var known = _outcomeOutsideSplits[facts];
            if (known >= 0)
            {
                return known;
            }
        }
        if (!_outcomes.TryGetValue((facts, splitSet), out var outcome))
        {
            outcome = _classify(_facts[facts], rangeStart);
            ClassifyCalls++;
            _outcomes[(facts, splitSet)] = outcome;
        }
        if (splitSet == 0 && outcome >= 0)
        {
            _outcomeOutsideSplits[facts] = outcome;
        }
        return outcome;
    }
}
