using GslbDns.Configuration;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

namespace GslbDns.Commands;

/// <summary>
/// What `gslbdns check` adds to the zone checks: each zone's policy file, read against the zone as
/// the server reads it, the admin state file and the transfer rules. Nothing here needs the GeoIP databases.
/// </summary>
public static class SteeringFilesCheck
{
    public static IReadOnlyList<ZoneProblem> Run(string folder, IReadOnlyList<ZoneFileResult> zones)
    {
        var problems = new List<ZoneProblem>();
        var documents = new List<PolicyDocument>();
        foreach (var zone in zones)
        {
            var policyPath = ZoneCatalogLoader.PolicyPathFor(zone.Path);
            if (!File.Exists(policyPath)) continue;
            var display = Path.GetRelativePath(folder, policyPath);
            if (!zone.IsValid || zone.Origin is not { } origin)
            {
                problems.Add(new ZoneProblem(new SourceLocation(display, 0), "not checked: its zone file has errors"));
                continue;
            }
            var (document, policyProblems) = Guarded(display, () => PolicyReader.ReadText(
                File.ReadAllText(policyPath), display, origin, new CompiledZoneView(ZoneCompiler.Compile(origin, zone.Records, zone.Path))));
            problems.AddRange(policyProblems);
            if (document is not null) documents.Add(document);
        }

        var adminPath = Path.Combine(folder, ZoneCatalogLoader.AdminStateFileName);
        if (File.Exists(adminPath))
        {
            var (admin, adminProblems) = Guarded(ZoneCatalogLoader.AdminStateFileName,
                () => AdminStateReader.ReadText(File.ReadAllText(adminPath), ZoneCatalogLoader.AdminStateFileName));
            problems.AddRange(adminProblems);
            if (admin is not null)
            {
                problems.AddRange(admin.FindUnmatched(documents));
            }
        }
        var transferPath = Path.Combine(folder, Transfer.TransferRulesReader.FileName);
        if (File.Exists(transferPath))
        {
            // The TSIG keys live outside the zones folder, so key names are checked by the server only.
            var origins = zones.Where(z => z.Origin is not null).Select(z => z.Origin!.Value).ToHashSet(WireComparer.Instance);
            var (_, transferProblems) = Guarded(Transfer.TransferRulesReader.FileName,
                () => Transfer.TransferRulesReader.ReadText(File.ReadAllText(transferPath), Transfer.TransferRulesReader.FileName, null, origins));
            problems.AddRange(transferProblems);
        }
        return problems;
    }

    /// <summary>One file's read; a fault in it (the file vanished, a reader bug) is that file's problem.</summary>
    private static (T? Value, IReadOnlyList<ZoneProblem> Problems) Guarded<T>(string display, Func<(T?, IReadOnlyList<ZoneProblem>)> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, [new ZoneProblem(new SourceLocation(display, 0), $"cannot be checked: unexpected {e.GetType().Name}: {e.Message}")]);
        }
    }
}
