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
        if (!IsNone(options.ApiListen) && !ListenAddress.TryParse(options.ApiListen, out _, out var apiError))
            problems.Add("ApiListen: " + apiError + " or 'none'");
        if (string.IsNullOrWhiteSpace(options.Zones))
            problems.Add("Zones folder is empty");
        return problems;
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
        };
    }
}
