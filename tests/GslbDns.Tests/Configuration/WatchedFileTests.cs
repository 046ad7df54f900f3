using GslbDns.Configuration;
using GslbDns.Zones;

namespace GslbDns.Tests.Configuration;

/// <summary>A re-read acts on a change of the file's bytes alone: same bytes, nothing; other bytes, a new version.</summary>
public sealed class WatchedFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "gslbdns-watched-" + Guid.NewGuid().ToString("N") + ".txt");
    private readonly List<string> _loaded = [];
    private readonly List<string> _rejected = [];

    private WatchedFile<string> Watch() => new(_path, "test file",
        (text, _) => text.StartsWith("bad", StringComparison.Ordinal)
            ? (null, [new ZoneProblem(new SourceLocation(_path, 1), "starts with bad")])
            : (text, []),
        new WatchedFileEvents<string>((value, _) => _loaded.Add(value), _rejected.Add, e => throw e));

    [Fact]
    public void SameBytesWrittenAgain_IsNoNewVersion()
    {
        File.WriteAllText(_path, "secret one\n");
        using var file = Watch();
        file.LoadInitial();
        int generation = file.Generation;

        File.WriteAllText(_path, "secret one\n");
        file.Reload();
        file.Reload();

        Assert.Equal(generation, file.Generation);
        Assert.Equal(["secret one\n"], _loaded);
    }

    [Fact]
    public void OtherBytesOfTheSameLength_AreANewVersion()
    {
        File.WriteAllText(_path, "secret one\n");
        using var file = Watch();
        file.LoadInitial();

        File.WriteAllText(_path, "secret two\n");
        file.Reload();

        Assert.Equal("secret two\n", file.Current);
        Assert.Equal(["secret one\n", "secret two\n"], _loaded);
    }

    [Fact]
    public void BadReplacement_IsReportedOnce_AndAFixIsRead()
    {
        File.WriteAllText(_path, "secret one\n");
        using var file = Watch();
        file.LoadInitial();

        File.WriteAllText(_path, "bad secret\n");
        file.Reload();
        file.Reload();
        Assert.Single(_rejected);
        Assert.Equal("secret one\n", file.Current);

        File.WriteAllText(_path, "secret one\n");
        file.Reload();
        Assert.Equal(["secret one\n", "secret one\n"], _loaded);
        Assert.Empty(file.LastProblems);
    }

    public void Dispose() => File.Delete(_path);
}
