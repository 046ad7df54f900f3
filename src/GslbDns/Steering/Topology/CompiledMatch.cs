using System.Collections.Frozen;
using GslbDns.Pipeline;
using GslbDns.Steering.Policy;

namespace GslbDns.Steering.Topology;

/// <summary>A <see cref="TopologyMatch"/> with its sets prepared for repeated tests.</summary>
internal sealed class CompiledMatch
{
    private readonly FrozenSet<string>? _continents;
    private readonly FrozenSet<string>? _countries;
    private readonly (string Country, string Code)[] _subdivisions;
    private readonly FrozenSet<uint>? _asns;
    private readonly IpPrefix[] _cidrs;

    public CompiledMatch(TopologyMatch match)
    {
        _continents = match.Continents.IsEmpty ? null : match.Continents.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _countries = match.Countries.IsEmpty ? null : match.Countries.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _subdivisions = match.Subdivisions.Select(s => (s[..2], s[3..])).ToArray();
        _asns = match.Asns.IsEmpty ? null : match.Asns.ToFrozenSet();
        _cidrs = match.Cidrs.ToArray();
    }

    /// <summary>Every present condition must hold (AND); within one, any listed value will do (OR).</summary>
    public bool Matches(in ClientLocation location, ClientAddress address)
    {
        if (_continents is not null && (location.Continent is null || !_continents.Contains(location.Continent))) return false;
        if (_countries is not null && (location.Country is null || !_countries.Contains(location.Country))) return false;
        if (_asns is not null && (location.Asn == 0 || !_asns.Contains(location.Asn))) return false;
        if (_subdivisions.Length > 0 && !MatchesSubdivision(location)) return false;
        if (_cidrs.Length > 0 && !MatchesCidr(address)) return false;
        return true;
    }

    private bool MatchesSubdivision(in ClientLocation location)
    {
        if (location.Country is null) return false;
        foreach (var (country, code) in _subdivisions)
        {
            if (!country.Equals(location.Country, StringComparison.OrdinalIgnoreCase)) continue;
            if (IsSubdivision(location.Subdivision1, country, code) || IsSubdivision(location.Subdivision2, country, code)) return true;
        }
        return false;
    }

    private static bool IsSubdivision(string? value, string country, string code)
    {
        if (value is null) return false;
        if (value.Equals(code, StringComparison.OrdinalIgnoreCase)) return true;
        return value.Length == code.Length + 3
            && value.AsSpan(0, 2).Equals(country, StringComparison.OrdinalIgnoreCase)
            && value[2] == '-'
            && value.AsSpan(3).Equals(code, StringComparison.OrdinalIgnoreCase);
    }

    private bool MatchesCidr(ClientAddress address)
    {
        foreach (var block in _cidrs)
        {
            if (block.Contains(address)) return true;
        }
        return false;
    }
}
