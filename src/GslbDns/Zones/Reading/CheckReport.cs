using System.Globalization;
using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>Formats zone-folder results for an operator: problems as "file:line: message", or a summary.</summary>
public static class CheckReport
{
    /// <summary>Writes problems to <paramref name="stderr"/> and returns 1, or a per-zone summary to <paramref name="stdout"/> and returns 0.</summary>
    public static int Write(IReadOnlyList<ZoneFileResult> results, TextWriter stdout, TextWriter stderr) =>
        Write(results, [], stdout, stderr);

    /// <summary>As above, with problems found in the files beside the zones (policies, admin state).</summary>
    public static int Write(IReadOnlyList<ZoneFileResult> results, IReadOnlyList<ZoneProblem> otherProblems, TextWriter stdout, TextWriter stderr)
    {
        int problemCount = 0, badFiles = 0, otherFiles = otherProblems.Select(p => p.Location.File).Distinct().Count();
        foreach (var result in results)
        {
            if (result.IsValid) continue;
            badFiles++;
            foreach (var problem in result.Problems)
            {
                stderr.WriteLine(Format(problem));
                problemCount++;
            }
        }
        foreach (var problem in otherProblems)
        {
            stderr.WriteLine(Format(problem));
            problemCount++;
        }
        if (problemCount > 0)
        {
            string others = otherFiles == 0 ? "" : $" and {otherFiles} other file{Plural(otherFiles)}";
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{problemCount} problem{Plural(problemCount)} in {badFiles} of {results.Count} zone file{Plural(results.Count)}{others}"));
            return 1;
        }

        long total = 0;
        foreach (var result in results)
        {
            var soa = result.Records.FirstOrDefault(r => r.Type == RecordType.SOA && r.Owner == result.Origin);
            string serial = soa.Type != RecordType.SOA ? "no SOA" : "serial " + RdataWireCheck.SoaSerial(soa.Data.Span).ToString(CultureInfo.InvariantCulture);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Origin} {serial}, {result.Records.Count} record{Plural(result.Records.Count)}"));
            total += result.Records.Count;
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} zone{Plural(results.Count)}, {total} record{Plural(total)}, no problems"));
        return 0;
    }

    /// <summary>"file:line: message"; problems about a whole file (line 0) omit the line.</summary>
    public static string Format(ZoneProblem problem) =>
        problem.Location.Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{problem.Location.File}:{problem.Location.Line}: {problem.Message}")
            : $"{problem.Location.File}: {problem.Message}";

    private static string Plural(long count) => count == 1 ? "" : "s";
}
