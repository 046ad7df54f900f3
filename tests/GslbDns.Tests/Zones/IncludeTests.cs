using GslbDns.Protocol;
using GslbDns.Zones.Reading;

namespace GslbDns.Tests.Zones;

public class IncludeTests
{
    [Fact]
    public void IncludeOutsideTheZonesFolder_IsRefused()
    {
        string root = ZoneFixtures.Folder(Path.Combine("escape", "zones"));
        string secret = Path.GetFullPath(Path.Combine(root, "..", "secret.inc"));

        var result = MasterFileReader.Read(Path.Combine(root, "evil.test.zone"), root, DnsName.Parse("evil.test."));

        Assert.Equal(
        [
            $"evil.test.zone:4: $INCLUDE '../secret.inc' refused: '{secret}' is outside the zones folder '{root}'",
            $"evil.test.zone:5: $INCLUDE '/etc/hostname' refused: '/etc/hostname' is outside the zones folder '{root}'",
        ], result.Problems.Select(p => p.ToString()));
        Assert.DoesNotContain(result.Records, r => r.Owner == DnsName.Parse("secret.evil.test."));
    }

    [Fact]
    public void IncludeCycle_IsRefusedWithTheChain()
    {
        string root = ZoneFixtures.Folder("cycle");

        var result = MasterFileReader.Read(Path.Combine(root, "loop.test.zone"), root, DnsName.Parse("loop.test."));

        Assert.Equal(["sub/b.inc:2: $INCLUDE '../a.inc' refused: include cycle loop.test.zone -> a.inc -> sub/b.inc -> a.inc"],
            result.Problems.Select(p => p.ToString()));
        // Each file was read once; the records before the refused include remain.
        Assert.Equal(["loop.test.", "loop.test.", "a.loop.test.", "b.loop.test."], result.Records.Select(r => r.Owner.ToString()));
    }

    [Fact]
    public void IncludedRecords_CarryTheIncludedFileAndLine()
    {
        string root = ZoneFixtures.Folder("cycle");

        var result = MasterFileReader.Read(Path.Combine(root, "loop.test.zone"), root, DnsName.Parse("loop.test."));

        Assert.Equal(["loop.test.zone:2", "loop.test.zone:3", "a.inc:1", "sub/b.inc:1"], result.Records.Select(r => r.Source.ToString()));
    }

    [Fact]
    public void MissingIncludedFile_IsAnError()
    {
        string root = ZoneFixtures.Folder("good");

        var result = MasterFileReader.ReadText("$TTL 300\n$INCLUDE inc/none.inc\n", "x.test.zone", DnsName.Parse("x.test."), root);

        Assert.Equal(["x.test.zone:2: $INCLUDE 'inc/none.inc': file 'inc/none.inc' not found"], result.Problems.Select(p => p.ToString()));
    }

    [Fact]
    public void IncludeWithOrigin_AppliesInsideAndRevertsAfter()
    {
        string root = ZoneFixtures.Folder("good");

        var result = MasterFileReader.ReadText("$TTL 300\nbefore A 192.0.2.1\n$INCLUDE inc/hosts.inc h.x.test.\n  A 192.0.2.2\nrel A 192.0.2.3\n",
            "x.test.zone", DnsName.Parse("x.test."), root);

        Assert.Empty(result.Problems);
        Assert.Equal(["before.x.test.", "h.x.test.", "db.h.x.test.", "db.h.x.test.", "before.x.test.", "rel.x.test."],
            result.Records.Select(r => r.Owner.ToString()));
    }
    [Fact]
    public void IncludeOfALinkPointingOutside_IsRefused()
    {
        string top = Directory.CreateTempSubdirectory("gslbdns-zones-").FullName;
        try
        {
            string root = Path.Combine(top, "zones");
            Directory.CreateDirectory(root);
            string outside = Path.Combine(top, "outside.inc");
            File.WriteAllText(outside, "leak A 192.0.2.1\n");
            File.CreateSymbolicLink(Path.Combine(root, "inside.inc"), outside);

            var result = MasterFileReader.ReadText("$TTL 300\n$INCLUDE inside.inc\n", "x.test.zone", DnsName.Parse("x.test."), root);

            Assert.Equal([$"x.test.zone:2: $INCLUDE 'inside.inc' refused: '{Path.Combine(root, "inside.inc")}' is a link to '{outside}', outside the zones folder '{root}'"],
                result.Problems.Select(p => p.ToString()));
            Assert.Empty(result.Records);
        }
        finally
        {
            Directory.Delete(top, recursive: true);
        }
    }
}
