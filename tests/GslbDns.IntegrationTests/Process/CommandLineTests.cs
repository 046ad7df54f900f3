using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Process;

/// <summary>The executable itself: start-up failures, clean shutdown, SIGHUP, check.</summary>
public sealed class CommandLineTests : IDisposable
{
    private const string GoodZone = """
        $TTL 300
        @    SOA  ns1 hostmaster 2026112701 7200 900 1209600 300
        @    NS   ns1
        ns1  A    192.0.2.53
        www  A    192.0.2.1

        """;

    private readonly string _zones = TempFolder.Create();

    public void Dispose() => Directory.Delete(_zones, recursive: true);

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Help_ListsOptions_ExitsZero()
    {
        using var process = ServerProcess.Start("--help");
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains("--listen ADDR:PORT", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("gslbdns check [DIR]", process.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsNonZero_WithReason()
    {
        using var process = ServerProcess.Start("--bogus");
        Assert.Equal(2, await process.WaitForExitAsync());
        Assert.Equal("gslbdns: unknown option '--bogus' (see --help)", process.Stderr.Trim());
    }

    [Fact]
    public async Task MissingZonesFolder_ExitsNonZero_WithOneLineReason()
    {
        using var process = ServerProcess.Start("--zones", Path.Combine(_zones, "nope"), "--listen", $"127.0.0.1:{FreePort()}");
        Assert.Equal(1, await process.WaitForExitAsync());
        var lines = process.Stderr.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("gslbdns: cannot start: zones folder", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidZone_ExitsNonZero_NamingFileAndLine()
    {
        await File.WriteAllTextAsync(Path.Combine(_zones, "example.com.zone"), GoodZone + "bad A 300.1.1.1\n");
        using var process = ServerProcess.Start("--zones", _zones, "--listen", $"127.0.0.1:{FreePort()}");
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.StartsWith("gslbdns: cannot start: 1 error(s)", process.Stderr, StringComparison.Ordinal);
        Assert.Contains("example.com.zone:6:", process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortTaken_ExitsNonZero_WithReason()
    {
        await File.WriteAllTextAsync(Path.Combine(_zones, "example.com.zone"), GoodZone);
        using var blocker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        blocker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)blocker.LocalEndPoint!).Port;
        using var process = ServerProcess.Start("--zones", _zones, "--listen", $"127.0.0.1:{port}");
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.StartsWith("gslbdns: cannot start:", process.Stderr, StringComparison.Ordinal);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_LogsZoneAndAddresses_ReloadsOnSighup_ExitsZeroOnSigterm()
    {
        var path = Path.Combine(_zones, "example.com.zone");
        await File.WriteAllTextAsync(path, GoodZone);
        int port = FreePort();
        using var process = ServerProcess.Start("--zones", _zones, "--listen", $"127.0.0.1:{port}", "--no-watch");
        await process.WaitForOutputAsync("example.com. serial 2026112701, 4 records");
        await process.WaitForOutputAsync($"127.0.0.1:{port}");

        var client = new WireClient(new IPEndPoint(IPAddress.Loopback, port));
        var reply = await client.QueryAsync(false, "www.example.com", RecordType.A);
        Assert.Equal("192.0.2.1", ((ARecord)reply.AnswerRecords.Single()).Address.ToString());

        await File.WriteAllTextAsync(path, GoodZone.Replace("192.0.2.1", "192.0.2.2", StringComparison.Ordinal).Replace("2026112701", "2026112702", StringComparison.Ordinal));
        process.Signal("HUP");
        await Poll.UntilAsync(async () =>
            ((ARecord)(await client.QueryAsync(false, "www.example.com", RecordType.A)).AnswerRecords.Single()).Address.ToString() == "192.0.2.2",
            "SIGHUP reload");

        process.Signal("TERM");
        Assert.Equal(0, await process.WaitForExitAsync());
    }

    [Fact]
    public async Task Sighup_Reloads_WhenTheServerWasStartedWithSighupIgnored()
    {
        var path = Path.Combine(_zones, "example.com.zone");
        await File.WriteAllTextAsync(path, GoodZone);
        int port = FreePort();
        using var process = ServerProcess.StartWithSighupIgnored("--zones", _zones, "--listen", $"127.0.0.1:{port}", "--no-watch");
        await process.WaitForOutputAsync($"127.0.0.1:{port}");
        var client = new WireClient(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal("192.0.2.1", ((ARecord)(await client.QueryAsync(false, "www.example.com", RecordType.A)).AnswerRecords.Single()).Address.ToString());

        await File.WriteAllTextAsync(path, GoodZone.Replace("192.0.2.1", "192.0.2.2", StringComparison.Ordinal).Replace("2026112701", "2026112702", StringComparison.Ordinal));
        process.Signal("HUP");

        await process.WaitForOutputAsync("Reloading zones (SIGHUP)");
        await Poll.UntilAsync(async () =>
            ((ARecord)(await client.QueryAsync(false, "www.example.com", RecordType.A)).AnswerRecords.Single()).Address.ToString() == "192.0.2.2",
            "SIGHUP reload");
        process.Signal("TERM");
        Assert.Equal(0, await process.WaitForExitAsync());
    }

    [Fact]
    public async Task Sighup_WithTsigKeysAndCookieSecrets_ReReadsThem_AndTheServerStaysUp()
    {
        await File.WriteAllTextAsync(Path.Combine(_zones, "example.com.zone"), GoodZone);
        var secrets = TempFolder.Create();
        try
        {
            var keys = Path.Combine(secrets, "tsig.keys");
            var cookies = Path.Combine(secrets, "cookie-secrets");
            await File.WriteAllTextAsync(keys, "key \"old-key\" { algorithm hmac-sha256; secret \"c2Vjb25kIHNlY3JldA==\"; };\n");
            await File.WriteAllTextAsync(cookies, "e5e973e5a6b2a43f48e7dc849e37bfcf\n");
            int port = FreePort();
            // Every component that handles SIGHUP registers for it; none may leave it at its default action (which ends the process).
            using var process = ServerProcess.StartWithSighupIgnored("--zones", _zones, "--listen", $"127.0.0.1:{port}", "--no-watch",
                "--tsig-keys", keys, "--cookie-secret-file", cookies);
            await process.WaitForOutputAsync($"127.0.0.1:{port}");

            await File.WriteAllTextAsync(keys, "key \"new-key\" { algorithm hmac-sha256; secret \"c2Vjb25kIHNlY3JldA==\"; };\n");
            await File.WriteAllTextAsync(cookies, "445536bcd2513298075a5d379663c962\ne5e973e5a6b2a43f48e7dc849e37bfcf\n");
            process.Signal("HUP");

            await process.WaitForOutputAsync("Reloading zones (SIGHUP)");
            await process.WaitForOutputAsync("TSIG keys reloaded: new-key. (hmac-sha256)");
            await process.WaitForOutputAsync("Cookie secrets reloaded: 2 secret(s)");
            Assert.False(process.HasExited);
            var client = new WireClient(new IPEndPoint(IPAddress.Loopback, port));
            Assert.Equal(ReturnCode.NoError, (await client.QueryAsync(false, "www.example.com", RecordType.A)).ReturnCode);
            process.Signal("TERM");
            Assert.Equal(0, await process.WaitForExitAsync());
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    [Fact]
    public async Task EnvironmentVariables_ConfigureTheServer_CommandLineWins()
    {
        await File.WriteAllTextAsync(Path.Combine(_zones, "example.com.zone"), GoodZone);
        int envPort = FreePort(), argPort = FreePort();
        var environment = new Dictionary<string, string>
        {
            ["GSLBDNS_Server__Zones"] = _zones,
            ["GSLBDNS_Server__Listen__0"] = $"127.0.0.1:{envPort}",
            ["GSLBDNS_Server__MaxUdpPayload"] = "512",
        };
        using (var fromEnvironment = ServerProcess.Start(environment, "--no-watch"))
        {
            await fromEnvironment.WaitForOutputAsync($"127.0.0.1:{envPort}");
            var reply = await new WireClient(new IPEndPoint(IPAddress.Loopback, envPort)).QueryAsync(false, "www.example.com", RecordType.A,
                new QueryBuilder { EdnsPayload = 4096 });
            Assert.Equal(512, reply.EDnsOptions!.UdpPayloadSize);
            fromEnvironment.Signal("TERM");
            Assert.Equal(0, await fromEnvironment.WaitForExitAsync());
        }
        using var overridden = ServerProcess.Start(environment, "--no-watch", "--listen", $"127.0.0.1:{argPort}");
        await overridden.WaitForOutputAsync($"127.0.0.1:{argPort}");
        Assert.DoesNotContain($"127.0.0.1:{envPort}", overridden.Stdout, StringComparison.Ordinal);
        overridden.Signal("TERM");
        Assert.Equal(0, await overridden.WaitForExitAsync());
    }

    [Fact]
    public async Task Check_ValidFolder_PrintsSummary_ExitsZero()
    {
        await File.WriteAllTextAsync(Path.Combine(_zones, "example.com.zone"), GoodZone);
        using var process = ServerProcess.Start("check", _zones);
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains("example.com.", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("2026112701", process.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_InvalidFolder_PrintsEveryError_ExitsOne()
    {
        await File.WriteAllTextAsync(Path.Combine(_zones, "example.com.zone"), GoodZone + "bad A 300.1.1.1\nttl 99999999999 A 192.0.2.1\n");
        using var process = ServerProcess.Start("check", _zones);
        Assert.Equal(1, await process.WaitForExitAsync());
        var output = process.Stdout + process.Stderr;
        Assert.Contains("example.com.zone:6:", output, StringComparison.Ordinal);
        Assert.Contains("example.com.zone:7:", output, StringComparison.Ordinal);
    }
}
