using System.IO.MemoryMappedFiles;
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
    public void OnThisMachine_TheTouchedPagesOfAFileOnlyThisProcessMaps_AreHandedBack_AndReadAgainIntact()
    {
        if (!OperatingSystem.IsLinux()) return;
        // Beside the test assembly, not in /tmp: pages of a tmpfs file can only go to swap.
        string path = Path.Combine(AppContext.BaseDirectory, $"gslbdns-pages-{Guid.NewGuid():N}.bin");
        try
        {
            var content = new byte[8 << 20];
            new Random(5).NextBytes(content);
            File.WriteAllBytes(path, content);
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = file.CreateViewAccessor(0, content.Length, MemoryMappedFileAccess.Read);
            long sum = 0;
            for (int i = 0; i < content.Length; i += 4096) sum += view.ReadByte(i);

            var result = ProgramPages.Release(p => p == path);

            Assert.NotNull(result);
            var (before, after) = result.Value;
            Assert.True(before >= 7 << 20, $"{before} bytes resident before");
            Assert.True(after < before / 4, $"{before} bytes resident before, {after} after");
            long again = 0;
            for (int i = 0; i < content.Length; i += 4096) again += view.ReadByte(i);
            Assert.Equal(sum, again);
            Assert.Equal(content[12345], view.ReadByte(12345));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
