using System.Collections.Immutable;
using GslbDns.Steering.Policy;
using GslbDns.Zones;

namespace GslbDns.Steering.State;

/// <summary>
/// The operator overrides read from <c>zones/admin-state.yaml</c> (see docs/policy.md), kept by
/// service and region name (<see cref="ByRegion"/>); an entry naming an unknown service or region
/// is reported (<see cref="FindUnmatched"/>) and ignored, so a stale override never stops the server from answering.
/// </summary>
public sealed record AdminStateFile(string File, ImmutableArray<AdminEntry> Entries)
{
    public static readonly AdminStateFile Empty = new("", []);

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

    /// <summary>
    /// Entries that match nothing in <paramref name="documents"/>: a service no policy steers, or a
    /// region the service lacks. Reported, never fatal: such an entry is ignored.
    /// </summary>
    public IReadOnlyList<ZoneProblem> FindUnmatched(IEnumerable<PolicyDocument> documents)
    {
        var all = documents.ToArray();
        var problems = new List<ZoneProblem>();
        foreach (var entry in Entries)
        {
            var document = all.FirstOrDefault(d => d.TryGetService(entry.Service, out _));
            if (document is null)
            {
                problems.Add(new ZoneProblem(entry.Source, $"no policy steers {entry.Service}; entry ignored"));
                continue;
            }
            document.TryGetService(entry.Service, out var service);
            if (service.RegionIndex(entry.Region) < 0)
            {
                problems.Add(new ZoneProblem(entry.Source,
                    $"service {entry.Service} has no region '{entry.Region}' (it has: {string.Join(", ", service.Regions.Select(r => r.Name))}); entry ignored"));
            }
        }
        return problems;
    }
}
