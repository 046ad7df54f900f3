using System.Diagnostics;
using System.Globalization;
using System.Net;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Process;
using GslbDns.IntegrationTests.Steering;
using GslbDns.Tapping;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Tapping;

/// <summary>
/// dnstap written by the real server and read back by Debian's own tools: dnstap-ldns for the
/// messages, fstrm_capture as the collector on a Unix socket.
/// </summary>
public sealed class DnstapTests : IDisposable
{
    private readonly string _folder = TempFolder.Create();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Field(string message, string name)
    {
        var prefix = "  " + name + ": ";
        var line = message.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"no {name} in\n{message}");
        return line[prefix.Length..].Trim('"');
    }

    /// <summary>The AUTH_QUERY and AUTH_RESPONSE of one client socket, checked field by field.</summary>
    private static void AssertPair(string[] messages, string protocol, int port, int serverPort, string question, string answerLine)
    {
        var mine = messages.Where(m => Field(m, "query_port") == port.ToString(CultureInfo.InvariantCulture)).ToArray();
        Assert.True(mine.Length == 2, $"{mine.Length} messages from port {port}:\n{string.Join("\n---\n", messages)}");
        var (query, response) = (mine[0], mine[1]);
        Assert.Equal("AUTH_QUERY", Field(query, "type"));
        Assert.Equal("AUTH_RESPONSE", Field(response, "type"));
        foreach (var message in mine)
        {
            Assert.Equal("INET", Field(message, "socket_family"));
            Assert.Equal(protocol, Field(message, "socket_protocol"));
            Assert.Equal("127.0.0.1", Field(message, "query_address"));
            Assert.Equal("127.0.0.1", Field(message, "response_address"));
            Assert.Equal(serverPort.ToString(CultureInfo.InvariantCulture), Field(message, "response_port"));
            Assert.Contains(question, message, StringComparison.Ordinal);
        }
        Assert.Contains("query_message: |", query, StringComparison.Ordinal);
        Assert.DoesNotContain("flags: qr", query, StringComparison.Ordinal);
        Assert.Contains("response_message: |", response, StringComparison.Ordinal);
        Assert.Contains("flags: qr aa", response, StringComparison.Ordinal);
        Assert.Contains(answerLine, response, StringComparison.Ordinal);
        Assert.Equal(Field(query, "query_time"), Field(response, "query_time"));
        Assert.Contains("response_time: ", response, StringComparison.Ordinal);
    }

    [DnstapToolsFact]
    public async Task File_HoldsAQueryAndAResponsePerQuery_ReadByDnstapLdns()
    {
        var zones = Path.Combine(_folder, "zones");
        Directory.CreateDirectory(zones);
        foreach (var (name, text) in TapSetup.SampleZones()) await File.WriteAllTextAsync(Path.Combine(zones, name), text);
        var path = Path.Combine(_folder, "server.dnstap");
        int port = TapSetup.FreePort();
        var server = new IPEndPoint(IPAddress.Loopback, port);

        using var process = ServerProcess.Start("--zones", zones, "--geoip", TapSetup.SampleGeoIp, "--listen", $"127.0.0.1:{port}",
            "--no-watch", "--dnstap", "file:" + path);
        await process.WaitForOutputAsync($"127.0.0.1:{port}");
        var udp = await TapSetup.UdpAsync(server, Ecs.For("198.51.100.0/24").Build("www.example.com", 1));
        var tcp = await TapSetup.TcpAsync(server, new QueryBuilder().Build("nope.example.com", 1));
        process.Signal("TERM");
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains("dnstap: closed file:" + path + "; 2 written, 0 dropped", process.Stdout, StringComparison.Ordinal);

        var messages = await DnstapTools.ReadAsync(path);
        Assert.Equal(4, messages.Length);
        AssertPair(messages, "UDP", udp.Port, port, ";www.example.com.\tIN\tA", "eu.www.example.com.\t60\tIN\tA\t198.51.100.10");
        AssertPair(messages, "TCP", tcp.Port, port, ";nope.example.com.\tIN\tA", "rcode: NXDOMAIN");
        Assert.All(messages, m => Assert.Equal("MESSAGE", EnvelopeField(m, "type")));
    }

    /// <summary>A top-level field of the Dnstap envelope (not indented).</summary>
    private static string EnvelopeField(string message, string name) =>
        message.Split('\n').First(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..].Trim('"');

    [DnstapToolsFact]
    public async Task UnixSocket_WaitsForTheCollector_DroppingMeanwhile_ThenStreamsToFstrmCapture()
    {
        var socket = Path.Combine(_folder, "dnstap.sock");
        var captured = Path.Combine(_folder, "captured.dnstap");
        var server = await TestServer.StartAsync(TapSetup.SampleZones(), new Dictionary<string, string?>
        {
            ["Server:GeoIp:0"] = TapSetup.SampleGeoIp,
            ["Server:Dnstap"] = "unix:" + socket,
        });
        var writer = server.Services.GetRequiredService<DnstapWriter>();

        System.Diagnostics.Process? collector = null;
        bool stopped = false;
        try
        {
            // No collector yet: answers go on, their dnstap messages are dropped and counted.
            await server.Client.QueryAsync(false, "static.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
            await TapSetup.UntilAsync(() => writer.Dropped == 1, "the query without a collector counted as dropped");
            Assert.Equal(0, writer.Written);

            collector = StartCapture(socket, captured);
            // The writer connects at its next retry; queries until then are dropped too.
            await Reloading.Poll.UntilAsync(async () =>
            {
                await server.Client.QueryAsync(false, "static.example.com", ARSoft.Tools.Net.Dns.RecordType.A);
                await Task.Delay(50);
                return writer.Written > 0;
            }, "the writer to reach the collector");
            long written = writer.Written;
            var udp = await TapSetup.UdpAsync(server.Endpoint, new QueryBuilder().Build("www.example.com", 1));
            var tcp = await TapSetup.TcpAsync(server.Endpoint, new QueryBuilder().Build("nope.example.com", 1));
            await TapSetup.UntilAsync(() => writer.Written == written + 2, "both queries written");
            await server.DisposeAsync(); // STOP, answered by the collector's FINISH
            stopped = true;
        }
        finally
        {
            if (!stopped) await server.DisposeAsync();
            if (collector is not null) Stop(collector);
            collector?.Dispose();
        }

        var messages = await DnstapTools.ReadAsync(captured);
        Assert.Equal(2 * writer.Written, messages.Length);
        Assert.All(messages, m => Assert.Equal("127.0.0.1", Field(m, "query_address")));
        Assert.Equal(writer.Written, messages.Count(m => Field(m, "type") == "AUTH_QUERY"));
        Assert.Equal(writer.Written, messages.Count(m => Field(m, "type") == "AUTH_RESPONSE"));
        Assert.Contains(messages, m => m.Contains(";www.example.com.\tIN\tA", StringComparison.Ordinal) && Field(m, "socket_protocol") == "UDP");
        Assert.Contains(messages, m => m.Contains(";nope.example.com.\tIN\tA", StringComparison.Ordinal) && Field(m, "socket_protocol") == "TCP");
    }

    private static System.Diagnostics.Process StartCapture(string socket, string output)
    {
        var info = new ProcessStartInfo(DnstapTools.FstrmCapture) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t", FrameStreamControl.DnstapContentType, "-u", socket, "-w", output }) info.ArgumentList.Add(arg);
        var process = System.Diagnostics.Process.Start(info)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>SIGTERM, so fstrm_capture closes its file properly, then waits for it.</summary>
    private static void Stop(System.Diagnostics.Process process)
    {
        if (process.HasExited) return;
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10))) process.Kill();
        process.WaitForExit();
    }
}
