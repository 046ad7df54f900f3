using GslbDns.Configuration;
using GslbDns.Steering;
using GslbDns.Steering.Geo;
using GslbDns.Zones.Reading;
using System.Globalization;
using GslbDns.Zones;

namespace GslbDns.Commands;

/// <summary>
/// <c>gslbdns geoip build SOURCE.json|SOURCE.csv OUT.mmdb</c>: compiles a GeoIP source into a MaxMind DB
/// file of type GslbDns-City. The output is written to a temporary file and renamed into place, so a
/// server watching OUT never sees a half-written database.
/// </summary>
public static class GeoIpBuildCommand
{
    public const string DatabaseType = "GslbDns-City";

    /// <param name="args">The arguments after <c>geoip build</c>: SOURCE and OUT.</param>
    /// <returns>0 on success, 1 when the source has errors, 2 on wrong usage.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 2 || args.Any(a => a is "-h" or "--help"))
        {
            stderr.WriteLine("usage: gslbdns geoip build SOURCE.json|SOURCE.csv OUT.mmdb");
            return 2;
        }
        var (sourcePath, outputPath) = (args[0], args[1]);
        GeoSource source;
        try
        {
            source = Path.GetExtension(sourcePath).ToLowerInvariant() switch
            {
                ".json" => GeoJsonSource.Read(sourcePath, File.ReadAllBytes(sourcePath)),
                ".csv" => GeoCsvSource.Read(sourcePath, File.ReadAllText(sourcePath)),
                _ => throw new NotSupportedException(),
            };
        }
        catch (NotSupportedException)
        {
            stderr.WriteLine($"{sourcePath}: unknown source format (expected a .json or .csv file)");
            return 1;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"{sourcePath}: {e.Message}");
            return 1;
        }
        catch (UnauthorizedAccessException e)
        {
            stderr.WriteLine($"{sourcePath}: {e.Message}");
            return 1;
        }

        var problems = source.Problems.Concat(FindDuplicates(source.Entries)).ToList();
        if (problems.Count == 0 && source.Entries.Count == 0)
        {
            problems.Add(new ZoneProblem(new SourceLocation(sourcePath, 1), "no networks"));
        }
        if (problems.Count > 0)
        {
            foreach (var problem in problems.OrderBy(p => p.Location.Line))
            {
                stderr.WriteLine(problem);
            }
            stderr.WriteLine($"{problems.Count} error(s); {outputPath} not written");
            return 1;
        }

        var options = new MmdbWriterOptions(
            DatabaseType,
            ["en"],
            new Dictionary<string, string> { ["en"] = $"GslbDns GeoIP database built from {Path.GetFileName(sourcePath)}" },
            BuildEpoch());
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, $".{Path.GetFileName(outputPath)}.{Environment.ProcessId}.tmp");
        try
        {
            MmdbWriteResult result;
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                result = MmdbWriter.Write(stream, source.Entries.Select(e => (e.Network, e.Data)), options);
            }
            File.Move(temporary, outputPath, overwrite: true);
            stdout.WriteLine($"wrote {result.NetworkCount} networks, {result.DataRecordCount} data records to {outputPath}");
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
            stderr.WriteLine($"{outputPath}: {e.Message}");
            return 1;
        }
    }

    /// <summary>SOURCE_DATE_EPOCH (reproducible builds convention) when set, else now.</summary>
    private static ulong BuildEpoch() =>
        ulong.TryParse(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A network listed twice is an error unless both entries carry the same data.</summary>
    private static IEnumerable<ZoneProblem> FindDuplicates(IReadOnlyList<GeoSourceEntry> entries)
    {
        var first = new Dictionary<IpPrefix, GeoSourceEntry>();
        foreach (var entry in entries)
        {
            if (!first.TryAdd(entry.Network, entry)
                && !MmdbDataSectionWriter.Canonical(first[entry.Network].Data).AsSpan().SequenceEqual(MmdbDataSectionWriter.Canonical(entry.Data)))
            {
                yield return new ZoneProblem(entry.Location, $"network {entry.Network} is already defined with different data at {first[entry.Network].Location}");
            }
        }
    }
}
