using System.Net;
using GslbDns.Listening;
using GslbDns.Tapping;

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
        if (options.TcpMaxConnectionsPerClient is < 1 or > 1_000_000)
            problems.Add($"TcpMaxConnectionsPerClient {options.TcpMaxConnectionsPerClient} is outside 1-1000000");
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
        if (!string.IsNullOrWhiteSpace(options.TsigKeys) && !string.IsNullOrWhiteSpace(options.Zones)
            && IsInside(options.TsigKeys, options.Zones))
            problems.Add($"TsigKeys file '{options.TsigKeys}' is inside the zones folder '{options.Zones}'; "
                + "keep secrets out of it (the zones folder is usually kept in git)");
        if (!IsNone(options.QueryLog) && options.QueryLog != QueryLogFile.StandardOutput && CannotWrite(options.QueryLog!) is { } logError)
            problems.Add($"QueryLog '{options.QueryLog}' cannot be written: {logError} (--query-log PATH, or - for stdout)");
        if (options.QueryLogSample < 1)
            problems.Add($"QueryLogSample {options.QueryLogSample} is below 1; --query-log-sample N logs 1 in N queries");
        if (!IsNone(options.Dnstap))
        {
            if (!DnstapTarget.TryParse(options.Dnstap!, out var dnstap, out var dnstapError))
                problems.Add(dnstapError + " (--dnstap)");
            else if (dnstap.Transport == DnstapTransport.File && CannotWrite(dnstap.Path) is { } fileError)
                problems.Add($"Dnstap file '{dnstap.Path}' cannot be written: {fileError}");
            else if (dnstap.Transport == DnstapTransport.Unix && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(dnstap.Path))))
                problems.Add($"Dnstap socket '{dnstap.Path}': its folder does not exist");
        }
        ValidateRrl(options.Rrl, problems);
        if (!TryNsid(options.Nsid, out _, out string nsidError)) problems.Add(nsidError);
        Cluster.ClusterSettings.Validate(options, problems);
        return problems;
    }

    /// <summary>
    /// Why a file cannot be opened for writing, or null when it can: opened for appending (created
    /// when missing, never cut short), so a wrong path stops the start instead of losing every record.
    /// </summary>
    private static string? CannotWrite(string path)
    {
        try
        {
            using var _ = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return ex.Message;
        }
    }

    private static void ValidateRrl(RateLimiting.RrlOptions rrl, List<string> problems)
    {
        foreach (var (name, value) in new[] { ("ResponsesPerSecond", (int?)rrl.ResponsesPerSecond), ("NxdomainsPerSecond", rrl.NxdomainsPerSecond), ("ErrorsPerSecond", rrl.ErrorsPerSecond) })
        {
            if (value is < 0 or > 1_000_000) problems.Add($"Rrl:{name} {value} is outside 0-1000000 (0: no limit)");
        }
        if (rrl.WindowSeconds is < 1 or > 3600) problems.Add($"Rrl:WindowSeconds {rrl.WindowSeconds} is outside 1-3600");
        if (rrl.Slip is < 0 or > 10) problems.Add($"Rrl:Slip {rrl.Slip} is outside 0-10");
        if (rrl.PrefixV4 is < 0 or > 32) problems.Add($"Rrl:PrefixV4 {rrl.PrefixV4} is outside 0-32");
        if (rrl.PrefixV6 is < 0 or > 128) problems.Add($"Rrl:PrefixV6 {rrl.PrefixV6} is outside 0-128");
        if (rrl.TableSize is < 1024 or > 16_777_216) problems.Add($"Rrl:TableSize {rrl.TableSize} is outside 1024-16777216");
        foreach (var cidr in rrl.Exempt)
        {
            if (!IpPrefix.TryParse(cidr, out _, out string error)) problems.Add($"Rrl:Exempt '{cidr}': {error}");
        }
    }

    /// <summary>The longest <see cref="ServerOptions.ShutdownGrace"/>: supervisors kill a process that takes longer to stop.</summary>
    public static readonly TimeSpan MaxShutdownGrace = TimeSpan.FromMinutes(5);

    /// <summary>The shutdown grace of valid options.</summary>
    public static TimeSpan ShutdownGrace(ServerOptions options) =>
        Health.Durations.TryParse(options.ShutdownGrace ?? "", out var grace) ? grace : TimeSpan.FromSeconds(5);

    /// <summary>The server id text: the host name for "host", null for "none".</summary>
    public static string? ServerId(ServerOptions options) =>
        IsNone(options.ServerId) ? null : options.ServerId.Equals("host", StringComparison.OrdinalIgnoreCase) ? Environment.MachineName : options.ServerId;

    /// <summary>The version text: "GslbDns VERSION" for "auto", null for "none".</summary>
    public static string? ServerVersion(ServerOptions options) =>
        IsNone(options.ServerVersion) ? null
        : options.ServerVersion.Equals("auto", StringComparison.OrdinalIgnoreCase) ? "GslbDns " + Metrics.GslbDnsMeter.Version : options.ServerVersion;

    /// <summary>The NSID bytes: none, the host name, text, or hex:...; at most <see cref="Pipeline.QueryPipeline.MaxNsidLength"/>.</summary>
    public static bool TryNsid(string? text, out byte[]? nsid, out string error)
    {
        nsid = null;
        error = "";
        if (IsNone(text)) return true;
        try
        {
            nsid = text!.Equals("host", StringComparison.OrdinalIgnoreCase) ? System.Text.Encoding.UTF8.GetBytes(Environment.MachineName)
                : text.StartsWith("hex:", StringComparison.OrdinalIgnoreCase) ? Convert.FromHexString(text[4..])
                : System.Text.Encoding.UTF8.GetBytes(text);
        }
        catch (FormatException)
        {
            error = $"Nsid '{text}': hex: must be followed by pairs of hex digits";
            return false;
        }
        if (nsid.Length is 0 or > Pipeline.QueryPipeline.MaxNsidLength)
        {
            error = $"Nsid '{text}' gives {nsid.Length} bytes; 1-{Pipeline.QueryPipeline.MaxNsidLength} are allowed (or none)";
            nsid = null;
            return false;
        }
        return true;
    }

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
            TcpMaxConnectionsPerClient = options.TcpMaxConnectionsPerClient,
            ShutdownTimeout = ShutdownGrace(options),
        };
    }
}
