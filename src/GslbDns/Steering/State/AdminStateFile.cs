using System.Collections.Immutable;
using GslbDns.Steering.Policy;
using GslbDns.Zones;

namespace GslbDns.Steering.State;

/// <summary>
/// The operator overrides read from <c>zones/admin-state.yaml</c> (see docs/policy.md). Entries are
/// matched to loaded policies by <see cref="Resolve"/>; an entry naming an unknown service or region
/// is reported and ignored, so a stale override never stops the server from answering.
/// </summary>
public sealed record AdminStateFile(string File, ImmutableArray<AdminEntry> Entries)
{
    public static readonly AdminStateFile Empty = new("", []);

    /// <summary>
    /// The override for <paramref name="document"/> as [service][region]; entries for services of
    /// this document that name an unknown region are added to <paramref name="problems"/>.
    /// </summary>
    public AdminRegionState[][] Resolve(PolicyDocument document, List<ZoneProblem> problems)
    {
        var result = document.Services.Select(s => new AdminRegionState[s.Regions.Length]).ToArray();
        foreach (var entry in Entries)
        {
            if (!document.TryGetService(entry.Service, out var service)) continue;
            int region = service.RegionIndex(entry.Region);
            if (region < 0)
            {
                problems.Add(new ZoneProblem(entry.Source,
                    $"service {entry.Service} has no region '{entry.Region}' (it has: {string.Join(", ", service.Regions.Select(r => r.Name))}); entry ignored"));
                continue;
            }
            result[service.Index][region] = entry.State;
        }
        return result;
    }

    /// <summary>The overrides by service and region name, as the state store keeps them.</summary>
    public IReadOnlyDictionary<RegionKey, AdminRegionState> ByRegion()
    {
        var result = new Dictionary<RegionKey, AdminRegionState>();
        foreach (var entry in Entries)
        {
            if (entry.State != AdminRegionState.Active) result[new RegionKey(entry.Service, entry.Region)] = entry.State;
        }
        return result;
    }

    /// <summary>Problems for entries whose service is in none of <paramref name="documents"/>.</summary>
    public IReadOnlyList<ZoneProblem> FindUnknownServices(IEnumerable<PolicyDocument> documents)
    {
        var all = documents.ToArray();
        var problems = new List<ZoneProblem>();
        foreach (var entry in Entries)
        {
            if (!all.Any(d => d.TryGetService(entry.Service, out _)))
            {
                problems.Add(new ZoneProblem(entry.Source, $"no policy steers {entry.Service}; entry ignored"));
            }
        }
        return problems;
    }
}
