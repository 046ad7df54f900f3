using System.Diagnostics;
using GslbDns.Configuration;
using GslbDns.Hosting;
using GslbDns.Tests.Geo;
using Microsoft.Extensions.Configuration;

namespace GslbDns.IntegrationTests.Deployment;

/// <summary>deploy/systemd/*.service: accepted by systemd itself, and in step with the server's options.</summary>
public sealed class SystemdUnitTests
{
    private static string UnitFolder => Path.Combine(GeoTestData.RepositoryRoot, "deploy", "systemd");

    [SystemdAnalyzeFact]
    public void EveryUnit_PassesSystemdAnalyzeVerify()
    {
        var folder = Infrastructure.TempFolder.Create();
        try
        {
            foreach (var unit in Directory.GetFiles(UnitFolder, "*.service"))
            {
                // The binary is not installed here: the unit runs the one just built instead, so verify
                // still checks that ExecStart names an executable.
                var text = File.ReadAllText(unit).Replace("ExecStart=/usr/local/bin/gslbdns", "ExecStart=" + BuiltBinary, StringComparison.Ordinal);
                var copy = Path.Combine(folder, Path.GetFileName(unit));
                File.WriteAllText(copy, text);
                var (code, output) = Run("systemd-analyze", "verify", copy);
                Assert.True(code == 0 && output.Length == 0, $"systemd-analyze verify {Path.GetFileName(unit)} exited {code}:\n{output}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ServerUnit_IsNotify_Hardened_AndItsCommandLineIsValid()
    {
        var unit = SystemdUnit.Read(Path.Combine(UnitFolder, "gslbdns.service"));
        Assert.Equal("notify", unit.Single("Type"));
        Assert.Equal("/bin/kill -HUP $MAINPID", unit.Single("ExecReload"));
        Assert.Equal("CAP_NET_BIND_SERVICE", unit.Single("AmbientCapabilities"));
        Assert.Equal("CAP_NET_BIND_SERVICE", unit.Single("CapabilityBoundingSet"));
        Assert.Equal("gslbdns", unit.Single("StateDirectory"));
        foreach (var key in new[] { "DynamicUser", "ProtectHome", "NoNewPrivileges", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
                     "ProtectKernelModules", "ProtectControlGroups", "RestrictNamespaces", "LockPersonality" })
        {
            Assert.True(unit.Single(key) == "yes", $"{key}={unit.Single(key)}");
        }
        Assert.Equal("strict", unit.Single("ProtectSystem"));
        Assert.Equal("native", unit.Single("SystemCallArchitectures"));
        // AF_UNIX for NOTIFY_SOCKET, AF_NETLINK for the local addresses behind a wildcard --listen.
        Assert.Equal(["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK"], unit.Single("RestrictAddressFamilies").Split(' '));

        var exec = unit.Single("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/usr/local/bin/gslbdns", exec[0]);
        Assert.True(CommandLine.TryParse(exec[1..], out var settings, out var error), error);
        var options = ServerOptionsFrom(settings);
        Assert.Empty(ServerOptionsValidator.Validate(options));
        Assert.Equal("/var/lib/gslbdns", options.StateDir);
        // systemd kills what has not stopped by TimeoutStopSec: more than the grace and the host's margin after it.
        var stop = TimeSpan.FromSeconds(int.Parse(unit.Single("TimeoutStopSec").TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(stop > ServerOptionsValidator.ShutdownGrace(options) + GslbDnsServiceCollectionExtensions.ShutdownMargin,
            $"TimeoutStopSec {stop} leaves no room after --shutdown-grace {options.ShutdownGrace}");
    }

    /// <summary>The options as the server binds them from these settings.</summary>
    internal static ServerOptions ServerOptionsFrom(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new ServerOptions();
        configuration.GetSection(ServerOptions.Section).Bind(options);
        return options;
    }

    private static string BuiltBinary => Path.Combine(AppContext.BaseDirectory, "gslbdns");

    internal static (int Code, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd() + stderr.GetAwaiter().GetResult();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }

    /// <summary>A fact skipped, with the reason, where systemd-analyze is missing or cannot run.</summary>
    private sealed class SystemdAnalyzeFactAttribute : FactAttribute
    {
        public SystemdAnalyzeFactAttribute()
        {
            if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze"))
            {
                Skip = "systemd-analyze is not installed (apt-get install systemd)";
                return;
            }
            try
            {
                var (code, output) = Run("systemd-analyze", "--version");
                if (code != 0) Skip = $"systemd-analyze cannot run here: {output}";
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                Skip = $"systemd-analyze cannot run here: {e.Message}";
            }
        }
    }
}

/// <summary>The [Service]/[Unit] settings of a unit file, continuation lines joined, comments dropped.</summary>
internal sealed class SystemdUnit(IReadOnlyList<(string Key, string Value)> settings)
{
    public static SystemdUnit Read(string path)
    {
        var settings = new List<(string, string)>();
        string pending = "";
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.StartsWith('#') || line.StartsWith(';') || line.StartsWith('[') || line.Length == 0)) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }
            line = pending + line;
            pending = "";
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            settings.Add((line[..eq], line[(eq + 1)..]));
        }
        return new SystemdUnit(settings);
    }

    public string Single(string key) => Assert.Single(settings, s => s.Key == key).Value;
}
