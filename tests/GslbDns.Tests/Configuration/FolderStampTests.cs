using GslbDns.Configuration;
using GslbDns.Tests.Geo;

namespace GslbDns.Tests.Configuration;

/// <summary>The zones folder poll reloads only when its stamp moves; these are the moves it must see.</summary>
public sealed class FolderStampTests
{
    [Fact]
    public void Unchanged_SameStamp()
    {
        using var dir = new TempDirectory();
        dir.File("example.com.zone", "x");
        Assert.Equal(FolderStamp.Of(dir.Path), FolderStamp.Of(dir.Path));
    }

    [Fact]
    public void EveryKindOfEdit_MovesTheStamp()
    {
        using var dir = new TempDirectory();
        var zone = dir.File("example.com.zone", "one");
        var stamps = new List<long> { FolderStamp.Of(dir.Path) };

        File.WriteAllText(zone, "one plus"); // longer
        stamps.Add(FolderStamp.Of(dir.Path));
        File.WriteAllText(zone, "two plus"); // same length, later time
        File.SetLastWriteTimeUtc(zone, DateTime.UtcNow.AddSeconds(5));
        stamps.Add(FolderStamp.Of(dir.Path));
        Directory.CreateDirectory(Path.Combine(dir.Path, "includes"));
        File.WriteAllText(Path.Combine(dir.Path, "includes", "hosts.inc"), "a");
        stamps.Add(FolderStamp.Of(dir.Path));
        File.Move(zone, Path.Combine(dir.Path, "example.org.zone"));
        stamps.Add(FolderStamp.Of(dir.Path));
        File.Delete(Path.Combine(dir.Path, "includes", "hosts.inc"));
        stamps.Add(FolderStamp.Of(dir.Path));

        Assert.Equal(stamps.Count, stamps.Distinct().Count());
    }

    [Fact]
    public void MissingFolder_IsZero() => Assert.Equal(0, FolderStamp.Of(Path.Combine(Path.GetTempPath(), "gslbdns-none-" + Guid.NewGuid().ToString("N"))));
}
