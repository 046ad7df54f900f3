using System.Net;
using System.Text.Json;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Process;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Tapping;

/// <summary>The query log and dnstap options of the executable: bad values, stdout, the environment, SIGHUP.</summary>
public sealed class TapCommandLineTests : IDisposable
{
    private readonly string _folder = TempFolder.Create();
    private readonly string _zones;

    public TapCommandLineTests()
    {
        _zones = Path.Combine(_folder, "zones");
        Directory.CreateDirectory(_zones);
        foreach (var (name, text) in TapSetup.SampleZones()) File.WriteAllText(Path.Combine(_zones, name), text);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string[] Serve(int port, params string[] more) =>
        ["--zones", _zones, "--geoip", TapSetup.SampleGeoIp, "--listen", $"127.0.0.1:{port}", "--no-watch", .. more];

    [Fact]
    public async Task Help_ListsTheTapOptions()
    {
        using var process = ServerProcess.Start("--help");
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains("--query-log PATH|-", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("--query-log-sample N", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("--dnstap unix:PATH|file:PATH", process.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dnstap", "tcp:127.0.0.1:6000", "Dnstap 'tcp:127.0.0.1:6000' has the unknown scheme 'tcp'; use unix:PATH (a collector's socket) or file:PATH (--dnstap)")]
    [InlineData("--dnstap", "/tmp/x.dnstap", "Dnstap '/tmp/x.dnstap' has no scheme; use unix:PATH (a collector's socket) or file:PATH (--dnstap)")]
    [InlineData("--query-log-sample", "0", "QueryLogSample 0 is below 1; --query-log-sample N logs 1 in N queries")]
    [InlineData("--query-log", "/nonexistent-gslbdns/q.log", "QueryLog '/nonexistent-gslbdns/q.log' cannot be written: ")]
    [InlineData("--dnstap", "file:/nonexistent-gslbdns/x.dnstap", "Dnstap file '/nonexistent-gslbdns/x.dnstap' cannot be written: ")]
    [InlineData("--dnstap", "unix:/nonexistent-gslbdns/x.sock", "Dnstap socket '/nonexistent-gslbdns/x.sock': its folder does not exist")]
    [InlineData("--dnstap", "unix:", "Dnstap 'unix:' has no path after 'unix:' (--dnstap)")]
    public async Task BadValue_ExitsTwo_WithTheReason(string option, string value, string reason)
    {
        using var process = ServerProcess.Start(Serve(TapSetup.FreePort(), option, value));
        Assert.Equal(2, await process.WaitForExitAsync());
        Assert.StartsWith("gslbdns: " + reason, process.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(process.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Dash_WritesTheLinesToStandardOutput()
    {
        int port = TapSetup.FreePort();
        using var process = ServerProcess.Start(Serve(port, "--query-log", "-", "--log-level", "Warning"));
        var client = new WireClient(new IPEndPoint(IPAddress.Loopback, port));
        await Poll.UntilAsync(async () =>
        {
            try
            {
                return (await client.UdpRawAsync(new QueryBuilder().Build("static.example.com", 1), TimeSpan.FromMilliseconds(200))) is not null;
            }
            catch (System.Net.Sockets.SocketException)
            {
                return false; // not listening yet
            }
        }, "the server to answer");
        await process.WaitForOutputAsync("\"name\":\"static.example.com.\"");
        var line = process.Stdout.Split('\n').First(l => l.StartsWith('{'));
        using var json = JsonDocument.Parse(line);
        Assert.Equal("NOERROR", json.RootElement.GetProperty("rcode").GetString());
        process.Signal("TERM");
        Assert.Equal(0, await process.WaitForExitAsync());
    }

    [Fact]
    public async Task EnvironmentVariable_TurnsTheLogOn_SighupStartsANewFileAfterRotation()
    {
        var log = Path.Combine(_folder, "queries.log");
        int port = TapSetup.FreePort();
        var environment = new Dictionary<string, string> { ["GSLBDNS_Server__QueryLog"] = log };
        using var process = ServerProcess.Start(environment, Serve(port));
        await process.WaitForOutputAsync($"127.0.0.1:{port}");
        var client = new WireClient(new IPEndPoint(IPAddress.Loopback, port));
        await client.QueryAsync(false, "static.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("static.example.com.", StringComparison.Ordinal)), "the first line");

        // What logrotate does: rename, then SIGHUP; the next line goes to a new file under the old name.
        File.Move(log, log + ".1");
        process.Signal("HUP");
        await process.WaitForOutputAsync("Query log: reopened " + log);
        await client.QueryAsync(false, "nope.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
        await Poll.UntilAsync(() => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("nope.example.com.", StringComparison.Ordinal)), "the line after SIGHUP");
        Assert.Single(File.ReadAllLines(log));
        Assert.Single(File.ReadAllLines(log + ".1"));
        process.Signal("TERM");
        Assert.Equal(0, await process.WaitForExitAsync());
    }
}
