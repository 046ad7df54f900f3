using GslbDns.Configuration;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
namespace GslbDns.Commands;

/// <summary>
/// "gslbdns check [DIR]": reads and validates every zone file of a folder without serving it.
/// Exit codes: 0 all zones valid, 1 problems found (or no zone files), 2 the folder cannot be read.
/// </summary>
public static class CheckCommand
{
    public const int Valid = 0;
    public const int ProblemsFound = 1;
    public const int FolderUnreadable = 2;

    /// <param name="moreChecks">
    /// Checks of files that ride along with the zones (steering policies, admin state), given the
    /// folder and its zone results; their problems are reported like the zones' own.
    /// </param>
    public static int Run(string dir, TextWriter stdout, TextWriter stderr,
        Func<string, IReadOnlyList<ZoneFileResult>, IReadOnlyList<ZoneProblem>>? moreChecks = null)
    {
        if (!Directory.Exists(dir))
        {
            stderr.WriteLine($"zones folder '{dir}' does not exist");
            return FolderUnreadable;
        }
        IReadOnlyList<ZoneFileResult> results;
        try
        {
            results = ZoneFolderReader.ReadFolder(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"zones folder '{dir}' cannot be read: {e.Message}");
            return FolderUnreadable;
        }
        if (results.Count == 0)
        {
            stderr.WriteLine($"no zone files (*{ZoneFolderReader.ZoneFileExtension}) in '{dir}'");
            return ProblemsFound;
        }
        return CheckReport.Write(results, moreChecks?.Invoke(dir, results) ?? [], stdout, stderr);
    }
}
