using GslbDns.Hosting;

namespace GslbDns.Tests.Hosting;

public class NativeHeapTests
{
    [Fact]
    public void OnLinux_TrimReachesTheCLibrary()
    {
        // malloc_trim is glibc's; the test machines run glibc. Elsewhere Trim is a no-op by design.
        if (!OperatingSystem.IsLinux() || !File.Exists("/lib/x86_64-linux-gnu/libc.so.6") && !File.Exists("/lib/aarch64-linux-gnu/libc.so.6")) return;
        Assert.True(NativeHeap.Trim());
    }
}

public class NativeHeapTrimmerTests
{
    [Fact]
    public async Task TrimsOncePerPeriod_AndStopsWithTheHost()
    {
        if (!OperatingSystem.IsLinux()) return;
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var trimmer = new NativeHeapTrimmer(time);
        await trimmer.StartAsync(CancellationToken.None);
        Assert.Equal(0, trimmer.Trims);
        for (int i = 1; i <= 3; i++)
        {
            time.Advance(NativeHeapTrimmer.Period);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (trimmer.Trims < i && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.Equal(i, trimmer.Trims);
        }
        time.Advance(NativeHeapTrimmer.Period / 2);
        await Task.Delay(100);
        Assert.Equal(3, trimmer.Trims);
        await trimmer.StopAsync(CancellationToken.None);
        time.Advance(NativeHeapTrimmer.Period * 2);
        await Task.Delay(100);
        Assert.Equal(3, trimmer.Trims);
    }
}
