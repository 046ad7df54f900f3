using System.Globalization;

namespace GslbDns.Reporting;

/// <summary>
/// CPU and memory use of a cgroup v2: what the load balancer in this container or systemd unit may
/// use, rather than the whole machine, which other tenants share.
/// </summary>
/// <remarks>
/// CPU is the growth of <c>usage_usec</c> in <c>cpu.stat</c> over the elapsed time times the CPUs
/// the cgroup may use: the tightest <c>cpu.max</c> quota/period of it and its ancestors, or every
/// processor when none sets one. Memory is the working set over the tightest <c>memory.max</c>
/// (MemTotal when unlimited): <c>memory.current</c> less the <c>inactive_file</c> of <c>memory.stat</c>,
/// because page cache the kernel can drop at once would otherwise make a busy disk look like a full
/// memory (the same correction <c>docker stats</c> and the kubelet make).
/// </remarks>
public sealed class CgroupLoad : IHostLoad
{
    private readonly string _dir;
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly int _processorCount;
    private (long UsageUsec, long Timestamp)? _previous;

    private CgroupLoad(string dir, string root, TimeProvider time, int processorCount)
    {
        _dir = dir;
        _root = root;
        _time = time;
        _processorCount = processorCount;
    }

    public string Source => $"cgroup {_dir}";

    /// <summary>
    /// The process's own cgroup v2 folder from <c>/proc/self/cgroup</c> (<c>0::/path</c>), or null
    /// when it has none. The root cgroup <c>/</c> is the whole machine, unless a cgroup namespace
    /// (a container) makes the container's cgroup look like the root: that one, unlike the real
    /// root, has limit files such as <c>memory.max</c>.
    /// </summary>
    public static string? Find(string root)
    {
        string? path;
        try
        {
            path = File.ReadLines(Path.Combine(root, "proc/self/cgroup"))
                .FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (string.IsNullOrEmpty(path)) return null;
        string mount = Path.Combine(root, "sys/fs/cgroup");
        if (path == "/")
        {
            return File.Exists(Path.Combine(mount, "memory.max")) || File.Exists(Path.Combine(mount, "cpu.max")) ? mount : null;
        }
        return Path.Combine(mount, path.TrimStart('/'));
    }

    /// <summary>A reader of <paramref name="dir"/>, or null when it lacks cpu.stat or memory.current.</summary>
    public static CgroupLoad? TryOpen(string dir, string root, TimeProvider time, int processorCount)
    {
        var load = new CgroupLoad(dir, root, time, processorCount);
        return load.ReadUsage() is not null && load.ReadLong("memory.current") is not null ? load : null;
    }

    public HostLoadReading Read()
    {
        double? cpu = null;
        long now = _time.GetTimestamp();
        if (ReadUsage() is { } usage)
        {
            if (_previous is { } previous)
            {
                double elapsedUsec = _time.GetElapsedTime(previous.Timestamp, now).TotalMicroseconds;
                if (elapsedUsec > 0)
                {
                    cpu = Math.Clamp((usage - previous.UsageUsec) / (elapsedUsec * AvailableCpus()), 0, 1);
                }
            }
            _previous = (usage, now);
        }
        return new HostLoadReading(cpu, Memory());
    }

    private double? Memory()
    {
        if (ReadLong("memory.current") is not { } current) return null;
        long inactiveFile = StatValue(ReadText(_dir, "memory.stat"), "inactive_file") ?? 0;
        long used = Math.Max(0, current - inactiveFile);
        long? limit = Ancestry().Select(d => ParseLimit(ReadText(d, "memory.max"))).Where(l => l is not null).Min();
        limit ??= ProcLoad.MemTotal(_root);
        return limit is > 0 ? Math.Clamp((double)used / limit.Value, 0, 1) : null;
    }

    /// <summary>The tightest quota of this cgroup and its ancestors, in CPUs; every processor when none has one.</summary>
    private double AvailableCpus()
    {
        double? cpus = null;
        foreach (var dir in Ancestry())
        {
            // "max 100000" (no quota) or "200000 100000" (two CPUs' worth every period).
            var parts = ReadText(dir, "cpu.max")?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is [var quota, var period]
                && long.TryParse(quota, NumberStyles.None, CultureInfo.InvariantCulture, out long q)
                && long.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out long p) && q > 0 && p > 0)
            {
                cpus = Math.Min(cpus ?? double.MaxValue, (double)q / p);
            }
        }
        return Math.Min(cpus ?? _processorCount, _processorCount);
    }

    /// <summary>
    /// This folder and the parents that are cgroups too: a systemd slice often sets the limit
    /// (MemoryMax=, CPUQuota=) on the slice, not on the service within. The root cgroup has no limit
    /// files, so the walk stops there, and at a fixture folder's parent in tests.
    /// </summary>
    private IEnumerable<string> Ancestry()
    {
        yield return _dir;
        for (var parent = Path.GetDirectoryName(Path.GetFullPath(_dir)); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (!File.Exists(Path.Combine(parent, "memory.max")) && !File.Exists(Path.Combine(parent, "cpu.max"))) yield break;
            yield return parent;
        }
    }

    private long? ReadUsage() => StatValue(ReadText(_dir, "cpu.stat"), "usage_usec");

    private long? ReadLong(string file) =>
        long.TryParse(ReadText(_dir, file)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;

    /// <summary>A number, or null for "max" (unlimited) and anything unreadable.</summary>
    private static long? ParseLimit(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : null;

    /// <summary>The value of <paramref name="key"/> in a flat-keyed file such as cpu.stat ("usage_usec 123").</summary>
    internal static long? StatValue(string? text, string key)
    {
        if (text is null) return null;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            {
                return value;
            }
        }
        return null;
    }

    private static string? ReadText(string dir, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
