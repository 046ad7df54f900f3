using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Loads a zones folder: every "*.zone" file directly in it is one zone whose origin is the file name
/// without ".zone" (example.com.zone is example.com.), unless a $ORIGIN precedes the first record.
/// Files reached only through $INCLUDE use other extensions or live in subfolders.
/// </summary>
public static class ZoneFolderReader
{
    public const string ZoneFileExtension = ".zone";

    public static IReadOnlyList<ZoneFileResult> ReadFolder(string dir)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        var files = Directory.GetFiles(root, "*" + ZoneFileExtension, SearchOption.TopDirectoryOnly)
            .Where(f => f.EndsWith(ZoneFileExtension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        var results = new List<ZoneFileResult>();
        var owners = new Dictionary<DnsName, string>();
        foreach (var file in files)
        {
            var result = ReadFileGuarded(file, root);
            if (result.Origin is { } origin)
            {
                string display = IncludePath.Display(Path.GetFullPath(file), root);
                if (owners.TryGetValue(origin, out var earlier))
                {
                    var duplicate = new ZoneProblem(new SourceLocation(display, 0), $"zone '{origin}' is already defined by '{earlier}'");
                    result = result with { Problems = [.. result.Problems, duplicate] };
                }
                else
                {
                    owners.Add(origin, display);
                }
            }
            results.Add(result);
        }
        return results;
    }

    /// <summary>An unexpected fault while reading one file is that file's problem, not the folder's.</summary>
    private static ZoneFileResult ReadFileGuarded(string path, string root)
    {
        try
        {
            return ReadFile(path, root);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var problem = new ZoneProblem(new SourceLocation(IncludePath.Display(Path.GetFullPath(path), root), 0),
                $"cannot be read: unexpected {e.GetType().Name}: {e.Message}");
            return new ZoneFileResult(Path.GetFullPath(path), null, [], [problem]);
        }
    }

    /// <summary>
    /// Reads and validates one zone file of the folder <paramref name="zonesRoot"/>. When some entries
    /// could not be read, only the zone checks that a missing record cannot trigger run on the rest,
    /// so that a malformed record is not also reported as missing.
    /// </summary>
    public static ZoneFileResult ReadFile(string path, string zonesRoot)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(zonesRoot));
        string fullPath = Path.GetFullPath(path);
        string display = IncludePath.Display(fullPath, root);
        var problems = new List<ZoneProblem>();

        DnsName? fileOrigin = null;
        string fileName = Path.GetFileName(fullPath);
        string stem = fileName.EndsWith(ZoneFileExtension, StringComparison.Ordinal) ? fileName[..^ZoneFileExtension.Length] : fileName;
        string originText = stem.Length == 0 || stem.EndsWith('.') ? (stem.Length == 0 ? "." : stem) : stem + ".";
        if (!DnsName.TryParse(originText, null, out var parsed, out string error))
        {
            problems.Add(new ZoneProblem(new SourceLocation(display, 0), $"file name does not give a zone name: {error}"));
        }
        else
        {
            fileOrigin = parsed;
        }

        var read = MasterFileReader.Read(fullPath, root, fileOrigin);
        problems.AddRange(read.Problems);
        OwnerGroups? owners;
        var records = RRsetNormalizer.Normalize(read.Records, out owners);
        if (read.Origin is { } origin)
        {
            problems.AddRange(ZoneValidator.Validate(origin, records, display, ref owners, complete: problems.Count == 0));
        }
        return new ZoneFileResult(fullPath, read.Origin, records, problems) { Owners = owners };
    }
}
