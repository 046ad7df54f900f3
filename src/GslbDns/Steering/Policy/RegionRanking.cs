using System.Text;

namespace GslbDns.Steering.Policy;

/// <summary>
/// Regions of one service in order of preference: a list of ranks, each a set of region indexes that
/// share the rank (traffic among live members of a rank is split by weight). Held flat so walking it
/// on the query path touches two arrays and allocates nothing. Equal rankings compare equal, so a
/// look-up tree can merge neighbouring ranges whose outcome is the same.
/// </summary>
public sealed class RegionRanking : IEquatable<RegionRanking>
{
    private readonly int[] _regions;
    private readonly int[] _rankEnds;
    private readonly int _hash;

    private RegionRanking(int[] regions, int[] rankEnds)
    {
        _regions = regions;
        _rankEnds = rankEnds;
        var hash = new HashCode();
        foreach (int r in regions) hash.Add(r);
        foreach (int e in rankEnds) hash.Add(e);
        _hash = hash.ToHashCode();
    }

    /// <summary>Builds a ranking; every region index may appear at most once.</summary>
    public static RegionRanking FromRanks(IEnumerable<IEnumerable<int>> ranks)
    {
        var regions = new List<int>();
        var ends = new List<int>();
        foreach (var rank in ranks)
        {
            int before = regions.Count;
            foreach (int region in rank)
            {
                if (region < 0) throw new ArgumentOutOfRangeException(nameof(ranks), "region index is negative");
                if (regions.Contains(region)) throw new ArgumentException($"region {region} appears twice", nameof(ranks));
                regions.Add(region);
            }
            if (regions.Count == before) throw new ArgumentException("a rank is empty", nameof(ranks));
            ends.Add(regions.Count);
        }
        return new RegionRanking(regions.ToArray(), ends.ToArray());
    }

    /// <summary>Each region its own rank, in the given order.</summary>
    public static RegionRanking Sequence(params int[] regions) => FromRanks(regions.Select(r => new[] { r }));

    /// <summary>All given regions in one rank.</summary>
    public static RegionRanking Single(params int[] regions) => FromRanks([regions]);

    public int RankCount => _rankEnds.Length;

    /// <summary>Every region in preference order, ranks concatenated.</summary>
    public ReadOnlySpan<int> Regions => _regions;

    public ReadOnlySpan<int> Rank(int index)
    {
        int start = index == 0 ? 0 : _rankEnds[index - 1];
        return _regions.AsSpan(start, _rankEnds[index] - start);
    }

    /// <summary>Position in <see cref="Regions"/> where rank <paramref name="index"/> starts.</summary>
    public int RankStart(int index) => index == 0 ? 0 : _rankEnds[index - 1];

    /// <summary>Position in <see cref="Regions"/> just past rank <paramref name="index"/>.</summary>
    public int RankEnd(int index) => _rankEnds[index];

    /// <summary>The rank holding position <paramref name="position"/> of <see cref="Regions"/>.</summary>
    public int RankOf(int position)
    {
        int rank = 0;
        while (_rankEnds[rank] <= position) rank++;
        return rank;
    }

    /// <summary>The ranks as nested lists (for tests and explain output).</summary>
    public IReadOnlyList<IReadOnlyList<int>> ToRanks()
    {
        var result = new List<IReadOnlyList<int>>(RankCount);
        for (int i = 0; i < RankCount; i++) result.Add(Rank(i).ToArray());
        return result;
    }

    public bool Equals(RegionRanking? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (_hash == other._hash && _regions.AsSpan().SequenceEqual(other._regions) && _rankEnds.AsSpan().SequenceEqual(other._rankEnds)));

    public override bool Equals(object? obj) => obj is RegionRanking other && Equals(other);

    public override int GetHashCode() => _hash;

    /// <summary>Region names in YAML prefer-list form, e.g. "[ap, [eu, us]]".</summary>
    public string Format(IReadOnlyList<RegionConfig> regions)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < RankCount; i++)
        {
            if (i > 0) text.Append(", ");
            var rank = Rank(i);
            if (rank.Length > 1) text.Append('[');
            for (int j = 0; j < rank.Length; j++)
            {
                if (j > 0) text.Append(", ");
                text.Append(rank[j] < regions.Count ? regions[rank[j]].Name : "#" + rank[j]);
            }
            if (rank.Length > 1) text.Append(']');
        }
        return text.Append(']').ToString();
    }

    public override string ToString()
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < RankCount; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append('[').AppendJoin(", ", Rank(i).ToArray()).Append(']');
        }
        return text.Append(']').ToString();
    }
}
