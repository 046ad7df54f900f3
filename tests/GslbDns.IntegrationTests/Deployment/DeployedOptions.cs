using System.Reflection;
using GslbDns.Configuration;
using GslbDns.Hosting;
using Microsoft.Extensions.Configuration;

namespace GslbDns.IntegrationTests.Deployment;

/// <summary>
/// The server options a deployment gives: GSLBDNS_ environment variables and command-line options,
/// read the way the server reads them (the same prefix, the command line's own parser, the same
/// binding and validator), so a manifest cannot name an option the server does not have.
/// </summary>
internal static class DeployedOptions
{
    public static ServerOptions From(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (!name.StartsWith(ServerHost.EnvironmentPrefix, StringComparison.Ordinal)) continue;
            // The environment provider's mapping: the prefix dropped, "__" for ':'.
            var key = name[ServerHost.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
            var parts = key.Split(':');
            Assert.True(parts.Length >= 2 && parts[0] == ServerOptions.Section, $"{name} is not a GSLBDNS_Server__<Name> variable");
            Assert.True(typeof(ServerOptions).GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null,
                $"{name}: the server has no option '{parts[1]}'");
            settings[key] = value;
        }
        Assert.True(CommandLine.TryParse(args, out var fromArgs, out var error), $"{string.Join(' ', args)}: {error}");
        // The command line wins, key by key, as in ServerHost.
        foreach (var (key, value) in fromArgs) settings[key] = value;

        var options = new ServerOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(ServerOptions.Section).Bind(options);
        Assert.Empty(ServerOptionsValidator.Validate(options));
        return options;
    }

    /// <summary>The DNS ports the options listen on (UDP and TCP each).</summary>
    public static IReadOnlySet<int> DnsPorts(ServerOptions options) =>
        ServerOptionsValidator.ToListenerOptions(options).Endpoints.Select(e => e.Port).ToHashSet();

    public static int ApiPort(ServerOptions options) =>
        (ServerOptionsValidator.ApiEndpoint(options) ?? throw new Xunit.Sdk.XunitException("the API is off")).Port;
}
