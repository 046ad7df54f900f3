using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

public class CheckCommandTests
{
    private static (int Code, string Out, string Err) Run(string dir)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CheckCommand.Run(dir, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void ValidFolder_PrintsASummaryAndExitsZero()
    {
        var (code, output, errors) = Run(ZoneFixtures.Folder("good"));

        Assert.Equal(0, code);
        Assert.Equal("", errors);
        Assert.Equal(
        [
            "example.com. serial 2026112701, 30 records",
            "example.net. serial 7, 4 records",
            "2 zones, 34 records, no problems",
        ], Lines(output));
    }

    [Fact]
    public void FolderWithProblems_PrintsEachAsFileLineMessageAndExitsOne()
    {
        var (code, output, errors) = Run(ZoneFixtures.Folder("duplicate"));

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal(
        [
            "dup.test.zone: zone 'dup.test.' is already defined by 'a.zone'",
            "1 problem in 1 of 2 zone files",
        ], Lines(errors));
    }

    [Fact]
    public void ProblemsInIncludedFiles_NameThatFileRelativeToTheFolder()
    {
        var (code, _, errors) = Run(ZoneFixtures.Folder("cycle"));

        Assert.Equal(1, code);
        Assert.StartsWith("sub/b.inc:2: $INCLUDE '../a.inc' refused: include cycle", Lines(errors)[0]);
    }

    [Fact]
    public void BadFile_StopsBeforeZoneChecks()
    {
        var (code, _, errors) = Run(ZoneFixtures.Folder("bad"));

        Assert.Equal(1, code);
        Assert.Equal(16, Lines(errors).Length);
        Assert.Equal("15 problems in 1 of 1 zone file", Lines(errors)[^1]);
    }

    [Fact]
    public void MissingFolder_ExitsTwo()
    {
        string missing = Path.Combine(ZoneFixtures.Folder("good"), "no-such-folder");

        var (code, output, errors) = Run(missing);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal([$"zones folder '{missing}' does not exist"], Lines(errors));
    }

    [Fact]
    public void FolderWithoutZoneFiles_ExitsOne()
    {
        string dir = Path.Combine(ZoneFixtures.Folder("good"), "inc");

        var (code, _, errors) = Run(dir);

        Assert.Equal(1, code);
        Assert.Equal([$"no zone files (*.zone) in '{dir}'"], Lines(errors));
    }
}
