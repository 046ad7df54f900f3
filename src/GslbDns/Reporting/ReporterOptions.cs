using System.Globalization;
using GslbDns.Health;

namespace GslbDns.Reporting;

/// <summary>What <c>gslbdns report</c> was asked to do.</summary>
public sealed record ReporterOptions
{
    public const string Usage =
        "usage: gslbdns report --to URL [--to URL]... --service NAME --region NAME --token-file FILE [--interval 5s]\n" +
        "           [--haproxy-stats URL|SOCKET] [--haproxy-backend NAME] [--capacity N] [--cgroup DIR] [--ttl SECS]\n" +
        "           [--timeout 2s] [--once]";

    /// <summary>The largest report lifetime the server accepts.</summary>
    public const int MaxTtl = 3600;

    public required IReadOnlyList<Uri> Targets { get; init; }
    public required string Service { get; init; }
    public required string Region { get; init; }
    public required string TokenFile { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    public string? HaproxyStats { get; init; }
    public string? HaproxyBackend { get; init; }
    public long? Capacity { get; init; }
    public string? Cgroup { get; init; }

    /// <summary>Seconds the server keeps the report; three intervals unless given, so one lost report does not expire it.</summary>
    public int Ttl { get; init; }

    /// <summary>How long one POST may take; never longer than the interval, so a hung server cannot delay the next report.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    public bool Once { get; init; }

    public static bool TryParse(IReadOnlyList<string> args, out ReporterOptions options, out string error)
    {
        options = null!;
        error = "";
        var targets = new List<Uri>();
        string? service = null, region = null, tokenFile = null, stats = null, backend = null, cgroup = null;
        TimeSpan interval = TimeSpan.FromSeconds(5);
        TimeSpan? timeout = null;
        long? capacity = null;
        int? ttl = null;
        bool once = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? value = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                (arg, value) = (arg[..eq], arg[(eq + 1)..]);
            }
            if (arg == "--once")
            {
                once = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return false;
            }
            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"option '{arg}' needs a value";
                    return false;
                }
                value = args[++i];
            }
            switch (arg)
            {
                case "--to":
                    if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    {
                        error = $"--to '{value}' is not an http:// or https:// URL";
                        return false;
                    }
                    targets.Add(uri);
                    break;
                case "--service":
                    service = value.TrimEnd('.');
                    break;
                case "--region":
                    region = value;
                    break;
                case "--token-file":
                    tokenFile = value;
                    break;
                case "--interval":
                    if (!Durations.TryParse(value, out interval) || interval < TimeSpan.FromMilliseconds(100))
                    {
                        error = $"--interval '{value}' is not a duration of at least 100ms (5s, 500ms, 2m)";
                        return false;
                    }
                    break;
                case "--timeout":
                    if (!Durations.TryParse(value, out var parsedTimeout) || parsedTimeout <= TimeSpan.Zero)
                    {
                        error = $"--timeout '{value}' is not a positive duration (2s, 500ms)";
                        return false;
                    }
                    timeout = parsedTimeout;
                    break;
                case "--haproxy-stats":
                    stats = value;
                    break;
                case "--haproxy-backend":
                    backend = value;
                    break;
                case "--cgroup":
                    cgroup = value;
                    break;
                case "--capacity":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long parsedCapacity))
                    {
                        error = $"--capacity '{value}' is not a non-negative integer";
                        return false;
                    }
                    capacity = parsedCapacity;
                    break;
                case "--ttl":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsedTtl) || parsedTtl is < 1 or > MaxTtl)
                    {
                        error = $"--ttl '{value}' is not a number of seconds from 1 to {MaxTtl}";
                        return false;
                    }
                    ttl = parsedTtl;
                    break;
                default:
                    error = $"unknown option '{arg}'";
                    return false;
            }
        }
        string? missing = targets.Count == 0 ? "--to" : service is null or "" ? "--service" : region is null or "" ? "--region" : tokenFile is null ? "--token-file" : null;
        if (missing is not null)
        {
            error = $"{missing} is required";
            return false;
        }
        if (backend is not null && stats is null)
        {
            error = "--haproxy-backend needs --haproxy-stats";
            return false;
        }
        if (timeout is { } t && t > interval && !once)
        {
            error = $"--timeout {Durations.Format(t)} is longer than --interval {Durations.Format(interval)}";
            return false;
        }
        options = new ReporterOptions
        {
            Targets = targets,
            Service = service!,
            Region = region!,
            TokenFile = tokenFile!,
            Interval = interval,
            HaproxyStats = stats,
            HaproxyBackend = backend,
            Capacity = capacity,
            Cgroup = cgroup,
            Ttl = ttl ?? DefaultTtl(interval),
            // The default 2 s shrinks to a short interval; an explicit one was checked above.
            Timeout = timeout ?? (once ? TimeSpan.FromSeconds(2) : TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, interval.Ticks))),
            Once = once,
        };
        return true;
    }

    /// <summary>Three intervals, rounded up to whole seconds, at most <see cref="MaxTtl"/>.</summary>
    public static int DefaultTtl(TimeSpan interval) => (int)Math.Clamp(Math.Ceiling(interval.TotalSeconds * 3), 1, MaxTtl);

    /// <summary>The report endpoint of one server: <c>/api/v1/load/{service}/{region}</c> under its base URL.</summary>
    public Uri EndpointOf(Uri target)
    {
        string basePath = target.AbsolutePath.TrimEnd('/');
        var builder = new UriBuilder(target)
        {
            Path = $"{basePath}/api/v1/load/{Uri.EscapeDataString(Service)}/{Uri.EscapeDataString(Region)}",
            Query = "",
        };
        return builder.Uri;
    }
}
