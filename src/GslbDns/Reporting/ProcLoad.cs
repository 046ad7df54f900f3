using System.Globalization;

namespace GslbDns.Reporting;

/// <summary>
/// CPU and memory use of the whole machine from /proc, for a load balancer that has no cgroup of
/// its own (run directly on a host or a VM, where the machine is the load balancer's).
/// </summary>
public sealed class ProcLoad(string root) : IHostLoad
{
    private (long Busy, long Total)? _previous;

    public string Source => $"{Path.Combine(root, "proc")} (stat, meminfo)";

    public HostLoadReading Read()
    {
        double? cpu = null;
        if (ReadCpu() is { } now)
        {
            if (_previous is { } previous && now.Total > previous.Total)
            {
                cpu = Math.Clamp((double)(now.Busy - previous.Busy) / (now.Total - previous.Total), 0, 1);
            }
            _previous = now;
        }
        return new HostLoadReading(cpu, Memory());
    }

    /// <summary>
    /// The first line of /proc/stat, "cpu user nice system idle iowait irq softirq steal guest guest_nice",
    /// in clock ticks since boot. Guest time is already inside user and nice, so the total stops at
    /// steal; waiting for I/O is idle time, not work.
    /// </summary>
    private (long Busy, long Total)? ReadCpu()
    {
        string? line;
        try
        {
            using var reader = new StreamReader(Path.Combine(root, "proc/stat"));
            line = reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is null || fields.Length < 5 || fields[0] != "cpu") return null;
        long total = 0, idle = 0;
        for (int i = 1; i < Math.Min(fields.Length, 9); i++)
        {
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks)) return null;
            total += ticks;
            if (i is 4 or 5) idle += ticks;
        }
        return (total - idle, total);
    }

    /// <summary>The share of memory not available to new work: 1 − MemAvailable/MemTotal.</summary>
    private double? Memory()
    {
        var info = MemInfo(root);
        return info.TryGetValue("MemTotal", out long total) && total > 0 && info.TryGetValue("MemAvailable", out long available)
            ? Math.Clamp(1 - (double)available / total, 0, 1)
            : null;
    }

    /// <summary>MemTotal in bytes, the limit of a cgroup whose memory.max is "max".</summary>
    internal static long? MemTotal(string root) => MemInfo(root).TryGetValue("MemTotal", out long total) ? total : null;

    /// <summary>/proc/meminfo's "Name:   1234 kB" lines, in bytes.</summary>
    private static Dictionary<string, long> MemInfo(string root)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(root, "proc/meminfo")))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0) continue;
                var parts = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    values[line[..colon]] = parts is [_, "kB"] ? value * 1024 : value;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return values;
    }
}
