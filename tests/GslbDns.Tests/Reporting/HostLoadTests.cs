using GslbDns.Reporting;
using Microsoft.Extensions.Time.Testing;

namespace GslbDns.Tests.Reporting;

/// <summary>CPU and memory from cgroup v2 and /proc fixture folders, with a fake clock.</summary>
public sealed class HostLoadTests : IDisposable
{
    private const long GiB = 1L << 30;
    private readonly string _root = Directory.CreateTempSubdirectory("gslbdns-hostload-").FullName;
    private readonly FakeTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string path, string text)
    {
        string full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private const string Service = "sys/fs/cgroup/system.slice/haproxy.service";

    private void WriteCgroup(long usageUsec, string cpuMax, long current, string memoryMax, string dir = Service)
    {
        Write("proc/self/cgroup", "0::/system.slice/haproxy.service\n");
        Write($"{dir}/cpu.stat", $"usage_usec {usageUsec}\nuser_usec {usageUsec / 2}\nsystem_usec {usageUsec / 2}\nnr_periods 0\n");
        Write($"{dir}/cpu.max", cpuMax + "\n");
        Write($"{dir}/memory.current", $"{current}\n");
        Write($"{dir}/memory.max", memoryMax + "\n");
        Write("proc/meminfo", $"MemTotal:        {8 * GiB / 1024} kB\nMemFree:          1000 kB\nMemAvailable:    {6 * GiB / 1024} kB\n");
    }

    private IHostLoad Create(string? cgroup = null)
    {
        var load = HostLoad.Create(_root, cgroup, _time, processorCount: 4, out var error);
        Assert.Null(error);
        return load!;
    }

    [Fact]
    public void Cgroup_CpuIsUsageOverElapsedTimesQuota_MemoryIsCurrentOverMax()
    {
        WriteCgroup(usageUsec: 5_000_000, cpuMax: "200000 100000", current: GiB / 2, memoryMax: $"{2 * GiB}");
        var load = Create();
        Assert.Equal($"cgroup {Path.Combine(_root, Service)}", load.Source);

        var first = load.Read();
        Assert.Null(first.Cpu);
        Assert.Equal(0.25, first.Memory);

        // 1 CPU-second used in 2 s by a cgroup allowed 2 CPUs: a quarter.
        _time.Advance(TimeSpan.FromSeconds(2));
        Write($"{Service}/cpu.stat", "usage_usec 6000000\n");
        Write($"{Service}/memory.current", $"{3 * GiB / 2}\n");
        var second = load.Read();
        Assert.Equal(0.25, second.Cpu!.Value, 9);
        Assert.Equal(0.75, second.Memory);
    }

    [Fact]
    public void Cgroup_WithoutQuota_UsesEveryProcessor_AndUnlimitedMemoryIsMemTotal()
    {
        WriteCgroup(usageUsec: 0, cpuMax: "max 100000", current: 2 * GiB, memoryMax: "max");
        var load = Create();
        Assert.Equal(0.25, load.Read().Memory);

        _time.Advance(TimeSpan.FromSeconds(1));
        Write($"{Service}/cpu.stat", "usage_usec 2000000\n");
        Assert.Equal(0.5, load.Read().Cpu!.Value, 9);
    }

    [Fact]
    public void Cgroup_LimitsOfTheParentSlice_Apply_AndReclaimablePageCacheIsNotUse()
    {
        WriteCgroup(usageUsec: 0, cpuMax: "max 100000", current: GiB, memoryMax: "max");
        Write("sys/fs/cgroup/system.slice/cpu.max", "50000 100000\n");
        Write("sys/fs/cgroup/system.slice/memory.max", $"{GiB}\n");
        Write($"{Service}/memory.stat", $"anon {GiB / 4}\nfile {3 * GiB / 4}\ninactive_file {GiB / 2}\n");
        var load = Create();
        Assert.Equal(0.5, load.Read().Memory);

        // 0.25 CPU-seconds in 1 s against the slice's half CPU.
        _time.Advance(TimeSpan.FromSeconds(1));
        Write($"{Service}/cpu.stat", "usage_usec 250000\n");
        Assert.Equal(0.5, load.Read().Cpu!.Value, 9);
    }

    [Fact]
    public void ExplicitCgroupFolder_IsUsed_AndOneWithoutFilesIsAnError()
    {
        WriteCgroup(usageUsec: 0, cpuMax: "max 100000", current: GiB, memoryMax: $"{4 * GiB}", dir: "elsewhere/lb");
        Assert.Equal(0.25, Create(Path.Combine(_root, "elsewhere/lb")).Read().Memory);

        Assert.Null(HostLoad.Create(_root, Path.Combine(_root, "elsewhere"), _time, 4, out var error));
        Assert.Contains("--cgroup", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RootCgroup_FallsBackToProc_CpuIsBusyOverTotalTicks_MemoryIsUnavailableShare()
    {
        Write("proc/self/cgroup", "0::/\n");
        Write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        Write("sys/fs/cgroup/cpu.stat", "usage_usec 123\n");
        Write("proc/stat", "cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 50 0 25 400 25 0 0 0 0 0\nintr 1\n");
        Write("proc/meminfo", "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    4000000 kB\n");
        var load = Create();
        Assert.IsType<ProcLoad>(load);

        var first = load.Read();
        Assert.Null(first.Cpu);
        Assert.Equal(0.75, first.Memory);

        // 1000 more ticks, of which 500 idle and 100 waiting for I/O: 400 busy.
        Write("proc/stat", "cpu  400 0 150 1300 150 0 0 0 0 0\n");
        Assert.Equal(0.4, load.Read().Cpu!.Value, 9);
    }

    [Fact]
    public void RootCgroupOfAContainer_HasLimitFiles_AndIsUsed()
    {
        Write("proc/self/cgroup", "0::/\n");
        WriteCgroup(usageUsec: 0, cpuMax: "max 100000", current: GiB, memoryMax: $"{2 * GiB}", dir: "sys/fs/cgroup");
        Write("proc/self/cgroup", "0::/\n");
        var load = Create();
        Assert.IsType<CgroupLoad>(load);
        Assert.Equal(0.5, load.Read().Memory);
    }

    [Fact]
    public void NoCgroupFileAtAll_FallsBackToProc()
    {
        Write("proc/stat", "cpu  1 0 1 1 0 0 0 0 0 0\n");
        Write("proc/meminfo", "MemTotal: 1000 kB\nMemAvailable: 250 kB\n");
        var load = Create();
        Assert.IsType<ProcLoad>(load);
        Assert.Equal(0.75, load.Read().Memory);
    }
}
