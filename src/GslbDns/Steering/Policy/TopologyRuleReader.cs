using System.Collections.Immutable;

namespace GslbDns.Steering.Policy;

/// <summary>Reads one entry of a service's topology list (<c>match</c> + <c>prefer</c>/<c>nearest</c>, or <c>default</c>).</summary>
internal sealed class TopologyRuleReader(SourceFields fields, ImmutableArray<RegionConfig> regions)
{
    private const string RuleKeys = "match, prefer, nearest, default, fallback";

    /// <summary>Null when the rule has problems (all reported); <paramref name="isDefault"/> says whether it was meant as the default.</summary>
    public TopologyRule? Read(SourceNode node, out bool isDefault)
    {
        isDefault = false;
        var map = fields.Mapping(node, "a topology rule");
        if (map is null) return null;
        bool allKnown = fields.CheckKeys(map, "a topology rule", "match", "prefer", "nearest", "default", "fallback");
        int before = fields.Problems.Count;

        var match = SourceFields.Get(map, "match");
        var prefer = SourceFields.Get(map, "prefer");
        var nearest = SourceFields.Get(map, "nearest");
        var @default = SourceFields.Get(map, "default");
        var fallback = SourceFields.Get(map, "fallback");

        if (@default is not null)
        {
            isDefault = true;
            foreach (var (name, other) in new[] { ("match", match), ("prefer", prefer), ("nearest", nearest) })
            {
                if (other is not null) fields.Error(other, $"'{name}' cannot be combined with 'default' (the default matches every client)");
            }
            var preference = ReadDefault(@default, fallback);
            return preference is not null && fields.Problems.Count == before ? new TopologyRule(TopologyMatch.Everything, preference, node.Location) : null;
        }

        if (fallback is not null) fields.Error(fallback, "'fallback' is only allowed with 'default: nearest'");
        if (match is null)
        {
            // A misspelt key has been reported already; saying "match is missing" too would only add noise.
            if (allKnown) fields.Error(map, $"a topology rule needs 'match' (with 'prefer' or 'nearest') or 'default'; keys are: {RuleKeys}");
            return null;
        }
        var conditions = ReadMatch(match);

        RulePreference? result = null;
        if (prefer is not null && nearest is not null)
        {
            fields.Error(nearest, "a rule has either 'prefer' or 'nearest', not both");
        }
        else if (prefer is not null)
        {
            if (ReadRanking(prefer, "prefer") is { } ranking) result = RulePreference.Fixed(ranking);
        }
        else if (nearest is not null)
        {
            if (fields.Boolean(nearest, "nearest", out bool on))
            {
                if (on) result = RulePreference.ByDistance();
                else fields.Error(nearest, "'nearest: false' does nothing; use 'prefer: [...]' instead");
            }
        }
        else
        {
            fields.Error(map, "the rule says whom it matches but not where to send them; add 'prefer: [...]' or 'nearest: true'");
        }

        if (conditions is null || result is null || fields.Problems.Count != before) return null;
        return new TopologyRule(conditions, result, node.Location);
    }

    private RulePreference? ReadDefault(SourceNode node, SourceNode? fallback)
    {
        if (node is SourceScalar { Value: "nearest", IsQuoted: false })
        {
            if (fallback is null) return RulePreference.ByDistance();
            return ReadRanking(fallback, "fallback") is { } ranks ? RulePreference.ByDistance(ranks) : null;
        }
        if (fallback is not null) fields.Error(fallback, "'fallback' is only allowed with 'default: nearest'");
        return ReadRanking(node, "default") is { } ranking ? RulePreference.Fixed(ranking) : null;
    }

    /// <summary>
    /// A preference list: each item is a region name (a rank of its own) or a list of names
    /// (regions sharing a rank, split by weight).
    /// </summary>
    private RegionRanking? ReadRanking(SourceNode node, string what)
    {
        var items = fields.List(node, what);
        if (items.Count == 0)
        {
            if (node is SourceSequence) fields.Error(node, $"{what} is empty; name at least one region");
            return null;
        }
        var ranks = new List<List<int>>();
        var seen = new HashSet<int>();
        bool ok = true;
        foreach (var item in items)
        {
            var rank = new List<int>();
            IReadOnlyList<SourceNode> members = item is SourceSequence inner ? inner.Items : [item];
            if (members.Count == 0)
            {
                fields.Error(item, $"empty rank in {what}");
                ok = false;
            }
            foreach (var member in members)
            {
                if (member is SourceSequence)
                {
                    fields.Error(member, $"{what} nests lists too deep; a rank is a list of region names");
                    ok = false;
                    continue;
                }
                var name = fields.Text(member, $"a region in {what}");
                if (name is null)
                {
                    ok = false;
                    continue;
                }
                int index = IndexOf(name);
                if (index < 0)
                {
                    fields.Error(member, $"unknown region '{name}' in {what}; the service has: {string.Join(", ", regions.Select(r => r.Name))}");
                    ok = false;
                }
                else if (!seen.Add(index))
                {
                    fields.Error(member, $"region '{name}' appears twice in {what}");
                    ok = false;
                }
                else
                {
                    rank.Add(index);
                }
            }
            ranks.Add(rank);
        }
        return ok ? RegionRanking.FromRanks(ranks) : null;
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < regions.Length; i++)
        {
            if (regions[i].Name == name) return i;
        }
        return -1;
    }

    private TopologyMatch? ReadMatch(SourceNode node)
    {
        var map = fields.Mapping(node, "match");
        if (map is null) return null;
        fields.CheckKeys(map, "match", "continent", "country", "subdivision", "asn", "cidr");
        if (map.Entries.Count == 0)
        {
            fields.Error(map, "match has no conditions; use '- default: ...' for the rule that matches everyone");
            return null;
        }
        int before = fields.Problems.Count;
        var continents = ReadCodes(map, "continent", NormaliseContinent);
        var countries = ReadCodes(map, "country", NormaliseCountry);
        var subdivisions = ReadCodes(map, "subdivision", NormaliseSubdivision);
        var asns = ReadAsns(map);
        var cidrs = ReadCidrs(map);
        CheckSubdivisionCountries(map, countries, subdivisions);
        if (fields.Problems.Count != before) return null;
        return new TopologyMatch(continents, countries, subdivisions, asns, cidrs);
    }

    private ImmutableArray<string> ReadCodes(SourceMapping map, string key, Func<string, (string? Code, string Error)> normalise)
    {
        if (SourceFields.Get(map, key) is not { } node) return [];
        var result = ImmutableArray.CreateBuilder<string>();
        var items = fields.List(node, key);
        if (items.Count == 0 && node is SourceSequence) fields.Error(node, $"{key} list is empty");
        foreach (var item in items)
        {
            if (fields.Text(item, key) is not { } text) continue;
            var (code, error) = normalise(text);
            if (code is null) fields.Error(item, error);
            else if (!result.Contains(code)) result.Add(code);
        }
        return result.ToImmutable();
    }

    private static (string?, string) NormaliseContinent(string text)
    {
        var code = text.ToUpperInvariant();
        return TopologyMatch.ContinentCodes.Contains(code)
            ? (code, "")
            : (null, $"unknown continent '{text}'; use one of: {string.Join(" ", TopologyMatch.ContinentCodes)}");
    }

    private static (string?, string) NormaliseCountry(string text) =>
        text.Length == 2 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1])
            ? (text.ToUpperInvariant(), "")
            : (null, $"bad country code '{text}'; use an ISO 3166-1 alpha-2 code such as GB");

    /// <summary>ISO 3166-2: the country code, a hyphen and one to three letters or digits.</summary>
    private static (string?, string) NormaliseSubdivision(string text)
    {
        bool ok = text.Length is >= 4 and <= 6 && char.IsAsciiLetter(text[0]) && char.IsAsciiLetter(text[1]) && text[2] == '-'
            && text.AsSpan(3).IndexOfAnyExcept(System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")) < 0;
        return ok ? (text.ToUpperInvariant(), "") : (null, $"bad subdivision code '{text}'; use an ISO 3166-2 code such as US-CA");
    }

    /// <summary>
    /// Keys in one match must all hold, so a subdivision outside every listed country can never
    /// match; that is almost always an attempt at "either", which takes two rules.
    /// </summary>
    private void CheckSubdivisionCountries(SourceMapping map, ImmutableArray<string> countries, ImmutableArray<string> subdivisions)
    {
        if (countries.IsEmpty) return;
        foreach (var subdivision in subdivisions.Where(s => !countries.Contains(s[..2])))
        {
            fields.Error(SourceFields.Get(map, "subdivision")!,
                $"subdivision {subdivision} can never match: this rule also requires country {string.Join(" or ", countries)} (all keys of a match must hold; use two rules for either)");
        }
    }

    private ImmutableArray<uint> ReadAsns(SourceMapping map)
    {
        if (SourceFields.Get(map, "asn") is not { } node) return [];
        var result = ImmutableArray.CreateBuilder<uint>();
        var items = fields.List(node, "asn");
        if (items.Count == 0 && node is SourceSequence) fields.Error(node, "asn list is empty");
        foreach (var item in items)
        {
            if (fields.Text(item, "asn") is not { } text) continue;
            var digits = text.StartsWith("AS", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
            if (digits.Length is > 0 and <= 10 && !digits.AsSpan().ContainsAnyExceptInRange('0', '9')
                && ulong.TryParse(digits, System.Globalization.CultureInfo.InvariantCulture, out ulong asn) && asn is > 0 and <= uint.MaxValue)
            {
                if (!result.Contains((uint)asn)) result.Add((uint)asn);
            }
            else
            {
                fields.Error(item, $"bad AS number '{text}'; use 1 to 4294967295, optionally written AS64500");
            }
        }
        return result.ToImmutable();
    }

    private ImmutableArray<IpPrefix> ReadCidrs(SourceMapping map)
    {
        if (SourceFields.Get(map, "cidr") is not { } node) return [];
        var result = ImmutableArray.CreateBuilder<IpPrefix>();
        var items = fields.List(node, "cidr");
        if (items.Count == 0 && node is SourceSequence) fields.Error(node, "cidr list is empty");
        foreach (var item in items)
        {
            if (fields.Text(item, "cidr") is not { } text) continue;
            if (!IpPrefix.TryParse(text, out var block, out var error)) fields.Error(item, "bad cidr " + error);
            else if (!result.Contains(block)) result.Add(block);
        }
        return result.ToImmutable();
    }
}
