using System.Diagnostics;
using GslbDns.Tests.Geo;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

/// <summary>
/// The zones we accept are zones BIND accepts too: the good fixtures and the shipped sample zone go
/// through named-checkzone (bind9-utils, installed by .ci/run) and through our reader. Skipped where
/// named-checkzone is not installed.
/// </summary>
public sealed class NamedCheckzoneTests
{
    private static readonly string? NamedCheckzone =
        new[] { "/usr/bin/named-checkzone", "/usr/sbin/named-checkzone" }.FirstOrDefault(File.Exists);

    public static TheoryData<string, string> Zones() => new()
    {
        { ZoneFixtures.Folder("good"), "example.com.zone" },
        { ZoneFixtures.Folder("good"), "example.net.zone" },
        { Path.Combine(GeoTestData.RepositoryRoot, "zones"), "example.com.zone" },
    };

    [NamedCheckzoneTheory]
    [MemberData(nameof(Zones))]
    public void ZoneWeAccept_IsAcceptedByNamedCheckzone(string folder, string file)
    {
        var ours = ZoneFolderReader.ReadFile(Path.Combine(folder, file), folder);
        Assert.Empty(ours.Problems);

        var origin = file[..^".zone".Length];
        var info = new ProcessStartInfo(NamedCheckzone!)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-i", "local", "-k", "fail", "-n", "fail", origin, file }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, output);
        // BIND loaded the zone (its own checks passed, with -k/-n fail making name problems fatal).
        Assert.Contains("loaded serial", output, StringComparison.Ordinal);
    }

    private sealed class NamedCheckzoneTheoryAttribute : TheoryAttribute
    {
        public NamedCheckzoneTheoryAttribute()
        {
            if (NamedCheckzone is null) Skip = "named-checkzone is not installed (apt-get install bind9-utils)";
        }
    }
}
