using GslbDns.Commands;
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

public class ZoneReadingGoesOnTests
{
    private static IEnumerable<string> Problems(string text)
    {
        var dir = Directory.CreateTempSubdirectory("gslbdns-zone-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "example.com.zone"), text);
            return ZoneFolderReader.ReadFolder(dir).Single().Problems.Select(p => p.ToString()).ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private const string Head = "$TTL 300\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n";

    [Fact]
    public void TwoSyntaxErrors_BothReported_AndTheZoneChecksThatCanRunStillRun()
    {
        var problems = Problems(Head + "a A 1.2.3\nb TXT \"open\nc A 192.0.2.1\nc CNAME a\n");
        Assert.Equal(
        [
            "example.com.zone:5: A '1.2.3' is not an IPv4 address",
            "example.com.zone:6: quoted string is not closed before the end of the line",
            "example.com.zone:8: CNAME at 'c.example.com.' has other data beside it (A); a CNAME must be alone at its name (RFC 1034 §3.6.2)",
        ], problems);
    }

    [Fact]
    public void SyntaxError_DoesNotMakeTheZoneLookIncomplete()
    {
        Assert.Equal(["example.com.zone:3: A '1.2' is not an IPv4 address"], Problems("$TTL 300\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\nns1 A 1.2\n@ NS ns1\n"));
    }

    [Fact]
    public void UnclosedParenthesis_SaysTheRestWentUnchecked()
    {
        var problems = Problems(Head + "a ( A 192.0.2.1\nb A 1.2\n");
        Assert.Equal(["example.com.zone:5: '(' is never closed: the entry runs to the end of the file (further checks skipped)"], problems);
    }
}
