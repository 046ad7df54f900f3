using System.Net;
using GslbDns.Hosting;
using GslbDns.Listening;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GslbDns.IntegrationTests.Infrastructure;

/// <summary>The real host, serving zone files from a temporary folder on a free loopback port.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly bool _ownsFolder;

    private TestServer(IHost host, string zonesFolder, bool ownsFolder = true)
    {
        _host = host;
        _ownsFolder = ownsFolder;
        ZonesFolder = zonesFolder;
        var bound = host.Services.GetRequiredService<DnsServerListeners>().BoundEndpoints;
        Endpoint = bound.First(e => e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        IPv6Endpoint = bound.FirstOrDefault(e => e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
        Client = new WireClient(Endpoint);
    }

    public string ZonesFolder { get; }

    public IPEndPoint Endpoint { get; }

    public IPEndPoint? IPv6Endpoint { get; }

    public WireClient Client { get; }

    /// <summary>The API's base address (http://127.0.0.1:PORT/), or null when it is off.</summary>
    public Uri? ApiBase => _host.Services.GetRequiredService<GslbDns.Api.ApiHost>().BaseAddress;

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a server on the given zone files (name → content).</summary>
    public static async Task<TestServer> StartAsync(IReadOnlyDictionary<string, string> files,
        IReadOnlyDictionary<string, string?>? settings = null, bool ipv6 = false)
    {
        var folder = TempFolder.Create();
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content);
        }
        return await StartCoreAsync(folder, settings, ipv6, ownsFolder: true);
    }

    /// <summary>Starts a server on an existing zones folder, which outlives it (for restarts on the same files).</summary>
    public static Task<TestServer> StartOnFolderAsync(string folder, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartCoreAsync(folder, settings, ipv6: false, ownsFolder: false);

    private static async Task<TestServer> StartCoreAsync(string folder, IReadOnlyDictionary<string, string?>? settings, bool ipv6, bool ownsFolder)
    {
        var all = new Dictionary<string, string?>
        {
            ["Server:Zones"] = folder,
            ["Server:Listen:0"] = "127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Server:ApiListen"] = "127.0.0.1:0",
        };
        if (ipv6 && LoopbackSupport.OSSupportsIPv6) all["Server:Listen:1"] = "[::1]:0";
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) all[k] = v;
        var host = ServerHost.Build(all);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new TestServer(host, folder, ownsFolder);
    }

    public static Task<TestServer> StartAsync(string zoneFile, string zoneText, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(new Dictionary<string, string> { [zoneFile] = zoneText }, settings);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (!_ownsFolder) return;
        try
        {
            Directory.Delete(ZonesFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class LoopbackSupport
{
    public static bool OSSupportsIPv6 => System.Net.Sockets.Socket.OSSupportsIPv6 && HasIPv6Loopback();

    private static bool HasIPv6Loopback()
    {
        try
        {
            using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetworkV6,
                System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}

public static class TempFolder
{
    public static string Create()
    {
        var path = Path.Combine(Path.GetTempPath(), "gslbdns-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}
