using System.Globalization;
using System.Text;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.Topology;

namespace GslbDns.Steering;

/// <summary>
/// Compiled look-up trees shared between services that classify clients alike (same rules, same
/// regions in the same order, same locations), across zones and reloads, until the GeoIP databases
/// change. Compiling a production City database takes seconds and hundreds of MB while it runs;
/// ten services steered "by continent" should pay for that once, not ten times.
/// </summary>
public sealed class GeoTreeCache
{
    private readonly object _gate = new();
    private Dictionary<string, CompiledTree> _trees = new(StringComparer.Ordinal);
    private GeoDatabaseSet? _databases;

    // The databases' trie, which every service's compilation starts from: walking a City database's
    // millions of networks is about half of compiling one service, so ten services with ten different
    // topologies walk it once. Kept only for the load that compiles (dropped by Trim), as it is about
    // as large as the database itself.
    private GeoTreeCompiler.Prepared? _prepared;

    /// <summary>A tree and the ranking each of its leaves stands for.</summary>
    public sealed record CompiledTree(GeoTree Tree, RegionRanking[] Rankings);

    /// <summary>Trees compiled so far (for tests and logs).</summary>
    public int Compilations { get; private set; }

    public CompiledTree GetOrCompile(ServicePolicy policy, TopologyClassifier classifier, GeoDatabaseSet? databases)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(databases, _databases))
            {
                _trees.Clear();
                _databases = databases;
                _prepared = null;
            }
            var key = Signature(policy);
            if (!_trees.TryGetValue(key, out var tree))
            {
                _prepared ??= GeoTreeCompiler.Prepare(databases);
                tree = Compile(classifier, databases, _prepared);
                _trees[key] = tree;
                Compilations++;
            }
            return tree;
        }
    }

    /// <summary>Forgets trees that no served service uses any more (called after each load).</summary>
    public void Trim(IEnumerable<GeoTree> inUse)
    {
        var live = new HashSet<GeoTree>(inUse, ReferenceEqualityComparer.Instance);
        lock (_gate)
        {
            _prepared = null;
            _trees = _trees.Where(entry => live.Contains(entry.Value.Tree))
                .ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal);
        }
    }

    private static CompiledTree Compile(TopologyClassifier classifier, GeoDatabaseSet? databases, GeoTreeCompiler.Prepared prepared)
    {
        // Leaves are keyed by the ranking alone, not by the rule that produced it: two rules that
        // rank regions alike give the same answer, so their networks merge into one ECS scope.
        var rankings = new List<RegionRanking>();
        var index = new Dictionary<RegionRanking, int>();
        var splits = classifier.Cidrs.Select(c => (c.Bits, c.Length)).ToArray();
        var tree = GeoTree.Compile(prepared, databases, splits, (facts, start) =>
        {
            var ranking = classifier.Classify(ClientLocationAdapter.From(facts), start).Ranking;
            if (!index.TryGetValue(ranking, out int id))
            {
                index[ranking] = id = rankings.Count;
                rankings.Add(ranking);
            }
            return id;
        });
        return new CompiledTree(tree, [.. rankings]);
    }

    /// <summary>Everything the classification depends on, and nothing else (not names, TTLs or weights).</summary>
    public static string Signature(ServicePolicy policy)
    {
        var text = new StringBuilder();
        text.Append(policy.Regions.Length).Append(" regions");
        bool distance = policy.Rules.Any(r => r.Preference.Nearest);
        if (distance)
        {
            foreach (var region in policy.Regions)
            {
                text.Append(';').Append(region.Location is { } p
                    ? string.Create(CultureInfo.InvariantCulture, $"{p.Latitude:R},{p.Longitude:R}")
                    : "-");
            }
        }
        foreach (var rule in policy.Rules)
        {
            var m = rule.Match;
            text.Append("\nC=").AppendJoin(',', m.Continents)
                .Append(" K=").AppendJoin(',', m.Countries)
                .Append(" S=").AppendJoin(',', m.Subdivisions)
                .Append(" A=").AppendJoin(',', m.Asns)
                .Append(" N=").AppendJoin(',', m.Cidrs)
                .Append(" P=").Append(rule.Preference.Nearest ? "nearest" : rule.Preference.Ranks?.ToString())
                .Append(" F=").Append(rule.Preference.Fallback?.ToString());
        }
        return text.ToString();
    }
}
