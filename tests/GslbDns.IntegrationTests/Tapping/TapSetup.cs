using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.Tests.Geo;

namespace GslbDns.IntegrationTests.Tapping;

/// <summary>
/// The sample zone and policy of zones/ with the sample GeoIP database of geoip/, so the steered
/// name is the README's: www.example.com, eu for the German documentation network 198.51.100.0/24.
/// </summary>
public static class TapSetup
{
    public static string SampleGeoIp => Path.Combine(GeoTestData.RepositoryRoot, "geoip", "GslbDns-Sample-City.mmdb");

    /// <summary>The files of zones/, to be copied into a test's own zones folder (the server keeps state beside it).</summary>
    public static Dictionary<string, string> SampleZones() =>
        Directory.GetFiles(Path.Combine(GeoTestData.RepositoryRoot, "zones"))
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllText);

    /// <summary>A UDP query from a socket whose port the test knows.</summary>
    public static async Task<(byte[] Reply, int Port)> UdpAsync(IPEndPoint server, byte[] query)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        await udp.SendAsync(query, server);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return ((await udp.ReceiveAsync(cts.Token)).Buffer, port);
    }

    public static async Task<(byte[] Reply, int Port)> TcpAsync(IPEndPoint server, byte[] query)
    {
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(server);
        int port = ((IPEndPoint)tcp.Client.LocalEndPoint!).Port;
        var stream = tcp.GetStream();
        await WireClient.WriteFramedAsync(stream, query);
        return (await WireClient.ReadFramedAsync(stream), port);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}

/// <summary>Debian's dnstap tools: dnstap-ldns reads dnstap files, fstrm_capture is a Frame Streams collector.</summary>
public static class DnstapTools
{
    public const string DnstapLdns = "/usr/bin/dnstap-ldns";
    public const string FstrmCapture = "/usr/bin/fstrm_capture";

    /// <summary>The messages of a dnstap file as dnstap-ldns prints them in YAML, one string per message.</summary>
    public static async Task<string[]> ReadAsync(string path)
    {
        var info = new ProcessStartInfo(DnstapLdns) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-y");
        info.ArgumentList.Add("-r");
        info.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"dnstap-ldns -r {path} exited {process.ExitCode}: {await error}");
        return (await output).Split("\n---\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(m => m.Contains("message:", StringComparison.Ordinal)).ToArray();
    }
}

/// <summary>A test that needs Debian's dnstap tools; skipped, saying what to install, where they are absent.</summary>
public sealed class DnstapToolsFactAttribute : FactAttribute
{
    public DnstapToolsFactAttribute()
    {
        if (!File.Exists(DnstapTools.DnstapLdns) || !File.Exists(DnstapTools.FstrmCapture))
            Skip = $"{DnstapTools.DnstapLdns} or {DnstapTools.FstrmCapture} is not installed (apt-get install dnstap-ldns fstrm-bin)";
    }
}
