using GslbDns.Hosting;

namespace GslbDns.Tests.Hosting;

public class ProgramPagesTests
{
    private const string Maps = """
        55d0c2a00000-55d0c2c00000 r--p 00000000 fd:01 1311 /opt/gslbdns/gslbdns
        55d0c2c00000-55d0c3600000 r-xp 00200000 fd:01 1311 /opt/gslbdns/gslbdns
        55d0c4000000-55d0c4100000 rw-p 00000000 00:00 0
        7f1000000000-7f1000200000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
        7f2000000000-7f2000001000 r--p 00000000 fd:01 1400 /opt/gslbdns/with space/x.dll
        7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]
        """;

    private static bool InProgramFolder(string path) => path.StartsWith("/opt/gslbdns/", StringComparison.Ordinal);

    [Fact]
    public void Mappings_AreTheProgramFilesOnly_WithPathsThatHoldSpaces()
    {
        var mappings = ProgramPages.MappingsOf(Maps.Split('\n'), InProgramFolder).ToList();

        Assert.Equal(3, mappings.Count);
        Assert.Equal(0x55d0c2a00000UL, mappings[0].Start);
        Assert.Equal(0x200000UL, mappings[0].Length);
        Assert.Equal(0xa00000UL, mappings[1].Length);
        Assert.Equal("/opt/gslbdns/with space/x.dll", mappings[2].Path);
    }

    [Fact]
    public void ResidentBytes_AddTheRssOfTheProgramMappings_AndNothingElse()
    {
        string smaps = """
            55d0c2a00000-55d0c2c00000 r--p 00000000 fd:01 1311 /opt/gslbdns/gslbdns
            Size:               2048 kB
            Rss:                1500 kB
            Pss:                1500 kB
            55d0c4000000-55d0c4100000 rw-p 00000000 00:00 0
            Size:               1024 kB
            Rss:                1024 kB
            7f1000000000-7f1000200000 r-xp 00000000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
            Rss:                 900 kB
            55d0c2c00000-55d0c3600000 r-xp 00200000 fd:01 1311 /opt/gslbdns/gslbdns
            Rss:                  12 kB
            """;

        Assert.Equal((1500 + 12) * 1024L, ProgramPages.ResidentBytes(smaps.Split('\n'), InProgramFolder));
    }

    [Fact]
    public void OnThisMachine_ReleasingHandsBackTheTestRunnersAssemblyPages()
    {
        if (!OperatingSystem.IsLinux()) return;
        // Touch this assembly's file pages, then hand them back; the test host keeps running.
        var result = ProgramPages.Release();

        Assert.NotNull(result);
        Assert.True(result.Value.After <= result.Value.Before, $"{result.Value.Before} before, {result.Value.After} after");
    }
}
