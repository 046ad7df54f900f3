namespace GslbDns.Reporting;

/// <summary>CPU and memory use as fractions 0..1; null where the reading is not (yet) available.</summary>
public readonly record struct HostLoadReading(double? Cpu, double? Memory);

/// <summary>
/// Where CPU and memory use are read from: the process's cgroup when it has one of its own (a
/// container, a systemd service or slice), else the whole machine through /proc.
/// </summary>
public interface IHostLoad
{
    /// <summary>What is measured, for the start-up log line (a cgroup folder, or /proc).</summary>
    string Source { get; }

    /// <summary>
    /// Takes a sample. CPU use is the share of the time since the previous call, so the first call
    /// only sets the baseline and returns a null CPU.
    /// </summary>
    HostLoadReading Read();
}

/// <summary>Chooses the cgroup or /proc reader.</summary>
public static class HostLoad
{
    /// <param name="root">Prefix of /proc and /sys ("/" in production; a fixture folder in tests).</param>
    /// <param name="cgroupDir">An explicit cgroup folder (--cgroup), or null to find the process's own.</param>
    /// <param name="error">Why an explicit <paramref name="cgroupDir"/> cannot be used.</param>
    public static IHostLoad? Create(string root, string? cgroupDir, TimeProvider time, int processorCount, out string? error)
    {
        error = null;
        if (cgroupDir is not null)
        {
            var explicitCgroup = CgroupLoad.TryOpen(cgroupDir, root, time, processorCount);
            if (explicitCgroup is null)
            {
                error = $"--cgroup {cgroupDir}: not a cgroup v2 folder with cpu.stat and memory.current";
            }
            return explicitCgroup;
        }
        return CgroupLoad.Find(root) is { } found && CgroupLoad.TryOpen(found, root, time, processorCount) is { } cgroup
            ? cgroup
            : new ProcLoad(root);
    }
}
