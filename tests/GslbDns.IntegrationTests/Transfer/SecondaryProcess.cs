using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>
/// A real secondary (knotd, nsd, named) started for one test: its own configuration and state in a
/// temporary folder, on a free loopback port, stopped (by its own process id) when the test ends.
/// </summary>
public sealed class SecondaryProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();

    private SecondaryProcess(System.Diagnostics.Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Folder { get; }

    public int Port { get; }

    public IPEndPoint Endpoint => new(IPAddress.Loopback, Port);

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static string? Find(string program) =>
        new[] { "/usr/sbin/", "/usr/bin/", "/usr/local/sbin/" }.Select(d => d + program).FirstOrDefault(File.Exists);

    /// <summary>A loopback port free for both UDP and TCP right now (ephemeral range, far from any fixed port).</summary>
    public static int FreePort()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)tcp.LocalEndPoint!).Port;
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no free loopback port");
    }

    /// <summary>Writes the configuration made by <paramref name="config"/> (given the folder and port) and starts the program.</summary>
    public static SecondaryProcess Start(string program, Func<string, int, string> config, string configName, Func<string, string, string[]> arguments)
    {
        var folder = Path.Combine(Path.GetTempPath(), "gslbdns-secondary-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        int port = FreePort();
        var configPath = Path.Combine(folder, configName);
        File.WriteAllText(configPath, config(folder, port));
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var argument in arguments(folder, configPath)) info.ArgumentList.Add(argument);
        var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        return new SecondaryProcess(process, folder, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
