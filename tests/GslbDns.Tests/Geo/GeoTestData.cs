namespace GslbDns.Tests.Geo;

/// <summary>Locates the repository and MaxMind's published test databases next to it.</summary>
internal static class GeoTestData
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// MaxMind's published test databases: shared/geoip-test-data next to the repository (../shared),
    /// or next to any folder above it, so checkouts nested one level deeper find it too.
    /// </summary>
    public static string MaxMindFolder { get; } = FindMaxMind();

    public static bool HasMaxMind => Directory.Exists(MaxMindFolder);

    public static string MaxMind(string file) => Path.Combine(MaxMindFolder, file);

    private static string FindMaxMind()
    {
        for (var dir = Directory.GetParent(RepositoryRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "geoip-test-data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "geoip-test-data"));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GslbDns.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("GslbDns.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that is skipped, visibly, when MaxMind's test databases are not next to the repository.</summary>
public sealed class MaxMindDataFactAttribute : FactAttribute
{
    public MaxMindDataFactAttribute()
    {
        if (!GeoTestData.HasMaxMind)
        {
            Skip = $"MaxMind test databases not found at {GeoTestData.MaxMindFolder}";
        }
    }
}
