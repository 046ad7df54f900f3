using System.Collections.Immutable;
using GslbDns.Protocol;
using GslbDns.Steering.Policy;
using GslbDns.Zones;

namespace GslbDns.Steering.State;

/// <summary>
/// Reads <c>zones/admin-state.yaml</c>. Two forms may be mixed:
/// <code>
/// www.example.com: { eu: drain }        # absolute service name (trailing dot optional)
/// example.com:                          # a zone, with service names relative to it
///   www: { us: down }
///   "@": { ap: drain }
/// </code>
/// A top-level entry whose values are states is a service; one whose values are mappings is a zone.
/// </summary>
public static class AdminStateReader
{
    private static readonly (string, AdminRegionState)[] States =
        [("active", AdminRegionState.Active), ("drain", AdminRegionState.Drain), ("down", AdminRegionState.Down)];

    public static (AdminStateFile? File, IReadOnlyList<ZoneProblem> Problems) Read(string path)
    {
        if (!File.Exists(path)) return (AdminStateFile.Empty with { File = path }, []);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ZoneProblem(new SourceLocation(path, 0), "cannot read admin state file: " + e.Message)]);
        }
        return ReadText(text, path);
    }

    /// <summary>
    /// Parses the file; a file with problems yields null so the caller can keep the previous
    /// override rather than apply half of a broken edit.
    /// </summary>
    public static (AdminStateFile? File, IReadOnlyList<ZoneProblem> Problems) ReadText(string text, string file)
    {
        var problems = new List<ZoneProblem>();
        var root = SourceTreeReader.Read(text, file, problems);
        if (problems.Count > 0) return (null, problems);
        if (root is null || root is SourceScalar { IsNull: true }) return (AdminStateFile.Empty with { File = file }, problems);

        var fields = new SourceFields(problems);
        var entries = ImmutableArray.CreateBuilder<AdminEntry>();
        var seen = new Dictionary<(DnsName, string), int>();
        if (fields.Mapping(root, "the admin state file") is { } top)
        {
            foreach (var (key, value) in top.Entries)
            {
                if (fields.Mapping(value, $"'{key.Value}'") is not { } map) continue;
                if (map.Entries.Count == 0)
                {
                    fields.Error(map, $"'{key.Value}' is empty");
                    continue;
                }
                if (map.Entries.All(e => e.Value is SourceMapping))
                {
                    if (ParseName(fields, key, DnsName.Root) is not { } zone) continue;
                    foreach (var (serviceKey, regions) in map.Entries)
                    {
                        if (ParseName(fields, serviceKey, zone) is { } service) ReadRegions(fields, service, (SourceMapping)regions, entries, seen);
                    }
                }
                else if (ParseName(fields, key, DnsName.Root) is { } service)
                {
                    ReadRegions(fields, service, map, entries, seen);
                }
            }
        }
        return problems.Count == 0 ? (new AdminStateFile(file, entries.ToImmutable()), problems) : (null, problems);
    }

    private static DnsName? ParseName(SourceFields fields, SourceScalar key, DnsName origin)
    {
        if (DnsName.TryParse(key.Value, origin, out var name, out var error)) return name;
        fields.Error(key, $"bad name '{key.Value}': {error}");
        return null;
    }

    private static void ReadRegions(SourceFields fields, DnsName service, SourceMapping map,
        ImmutableArray<AdminEntry>.Builder entries, Dictionary<(DnsName, string), int> seen)
    {
        foreach (var (regionKey, stateNode) in map.Entries)
        {
            if (stateNode is SourceMapping)
            {
                fields.Error(stateNode, $"region '{regionKey.Value}' of {service} must be set to active, drain or down, found a mapping");
                continue;
            }
            if (!fields.Choice(stateNode, $"state of region '{regionKey.Value}'", States, out var state)) continue;
            if (!seen.TryAdd((service, regionKey.Value), regionKey.Location.Line))
            {
                fields.Error(regionKey, $"region '{regionKey.Value}' of {service} is set twice (first at line {seen[(service, regionKey.Value)]})");
                continue;
            }
            entries.Add(new AdminEntry(service, regionKey.Value, state, regionKey.Location));
        }
    }
}
