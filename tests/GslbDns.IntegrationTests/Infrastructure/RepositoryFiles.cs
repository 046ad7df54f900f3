namespace GslbDns.IntegrationTests.Infrastructure;

/// <summary>The checkout the tests run from: the folder holding GslbDns.sln above the test binaries.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GslbDns.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no GslbDns.sln above {AppContext.BaseDirectory}");
    }
}
