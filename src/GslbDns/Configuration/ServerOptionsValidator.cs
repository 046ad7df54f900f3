using System.Net;
using GslbDns.Listening;

namespace GslbDns.Configuration;

/// <summary>Checks every server option at once and says what is wrong with each.</summary>
public static class ServerOptionsValidator
{
    public static IReadOnlyList<string> Validate(ServerOptions options)
    {
        var problems = new List<string>();
        foreach (var text in EffectiveListen(options))
        {
            if (!ListenAddress.TryParse(text, out _, out var error)) problems.Add(error);
        }
        if (options.MaxUdpPayload is < 512 or > 65535)
            problems.Add($"MaxUdpPayload {options.MaxUdpPayload} is outside 512-65535");
        if (options.UdpThreads is < 1 or > 64)
            problems.Add($"UdpThreads {options.UdpThreads} is outside 1-64");
        if (options.TcpIdleTimeoutSeconds is <= 0 or > 3600)
            problems.Add($"TcpIdleTimeoutSeconds {options.TcpIdleTimeoutSeconds} is outside (0, 3600]");
        if (options.TcpMaxConnections is < 1 or > 1_000_000)
            problems.Add($"TcpMaxConnections {options.TcpMaxConnections} is outside 1-1000000");
        if (!Health.Durations.TryParse(options.ShutdownGrace ?? "", out var grace) || grace > MaxShutdownGrace)
            problems.Add($"ShutdownGrace '{options.ShutdownGrace}' is not a duration from 0s to {Health.Durations.Format(MaxShutdownGrace)} (such as 5s or 500ms)");
        if (!IsNone(options.ApiListen) && !ListenAddress.TryParse(options.ApiListen, out _, out var apiError))
            problems.Add("ApiListen: " + apiError + " or 'none'");
        if (string.IsNullOrWhiteSpace(options.Zones))
            problems.Add("Zones folder is empty");
        if (string.IsNullOrWhiteSpace(options.ApiTlsCert) != string.IsNullOrWhiteSpace(options.ApiTlsKey))
            problems.Add("ApiTlsCert and ApiTlsKey go together: give both (--api-tls-cert and --api-tls-key) or neither");
        if (!string.IsNullOrWhiteSpace(options.ApiTokens) && !string.IsNullOrWhiteSpace(options.Zones)
            && IsInside(options.ApiTokens, options.Zones))
            problems.Add($"ApiTokens file '{options.ApiTokens}' is inside the zones folder '{options.Zones}'; "
                + "keep secrets out of it (the zones folder is usually kept in git)");
        return problems;
    }

    /// <summary>The longest <see cref="ServerOptions.ShutdownGrace"/>: supervisors kill a process that takes longer to stop.</summary>
    public static readonly TimeSpan MaxShutdownGrace = TimeSpan.FromMinutes(5);

    /// <summary>The shutdown grace of valid options.</summary>
    public static TimeSpan ShutdownGrace(ServerOptions options) =>
        Health.Durations.TryParse(options.ShutdownGrace ?? "", out var grace) ? grace : TimeSpan.FromSeconds(5);

    /// <summary>The state folder: as given, or "state" beside the zones folder.</summary>
    public static string StateDir(ServerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.StateDir)) return options.StateDir;
        var zones = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Zones));
        return Path.Combine(Path.GetDirectoryName(zones) ?? zones, "state");
    }

    private static bool IsInside(string file, string folder)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        return Path.GetFullPath(file).StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    public static bool IsNone(string? value) => string.IsNullOrWhiteSpace(value) || value.Equals("none", StringComparison.OrdinalIgnoreCase);

    /// <summary>The API endpoint, or null when the API is off.</summary>
    public static IPEndPoint? ApiEndpoint(ServerOptions options) =>
        !IsNone(options.ApiListen) && ListenAddress.TryParse(options.ApiListen, out var endpoint, out _) ? endpoint : null;

    public static IReadOnlyList<string> EffectiveListen(ServerOptions options) =>
        options.Listen.Count > 0 ? options.Listen : ServerOptions.DefaultListen;

    public static ListenerOptions ToListenerOptions(ServerOptions options)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var text in EffectiveListen(options))
        {
            ListenAddress.TryParse(text, out var endpoint, out _);
            endpoints.Add(endpoint);
        }
        return new ListenerOptions
        {
            Endpoints = endpoints,
            UdpThreadsPerEndpoint = options.UdpThreads,
            UdpBatching = options.UdpBatch,
            TcpIdleTimeout = TimeSpan.FromSeconds(options.TcpIdleTimeoutSeconds),
            TcpMaxConnections = options.TcpMaxConnections,
            ShutdownTimeout = ShutdownGrace(options),
        };
    }
}
