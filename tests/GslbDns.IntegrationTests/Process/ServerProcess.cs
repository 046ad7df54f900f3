using System.Diagnostics;
using System.Text;

namespace GslbDns.IntegrationTests.Process;

/// <summary>Runs the built gslbdns executable as an operator would, capturing its output and exit code.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ServerProcess(System.Diagnostics.Process process)
    {
        _process = process;
    }

    public static string EntryAssembly => Path.Combine(AppContext.BaseDirectory, "gslbdns.dll");

    /// <summary>
    /// A published executable to run instead of <c>dotnet exec gslbdns.dll</c> (GSLBDNS_TEST_EXECUTABLE):
    /// .ci/run points it at the Native AOT binary, so these tests pin what the Docker image runs.
    /// </summary>
    public static string? Executable =>
        System.Environment.GetEnvironmentVariable("GSLBDNS_TEST_EXECUTABLE") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The program and the arguments before the server's own: the executable, or the JIT host and the assembly.</summary>
    private static (string File, string[] Prefix) Command => Executable is { } executable ? (executable, []) : ("dotnet", ["exec", EntryAssembly]);

    public static ServerProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the executable with extra environment variables (the GSLBDNS_ configuration source).</summary>
    public static ServerProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Launch(Command.File, [.. Command.Prefix, .. args], environment);

    /// <summary>Starts the executable in <paramref name="workingDirectory"/> rather than beside the binary.</summary>
    public static ServerProcess StartIn(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Launch(Command.File, [.. Command.Prefix, .. args], environment, workingDirectory);

    /// <summary>The folder the server's binary is in: the published executable's, or the assembly's.</summary>
    public static string BinaryFolder => Path.GetDirectoryName(Executable ?? EntryAssembly)!;

    /// <summary>
    /// Starts the executable with SIGHUP ignored, as <c>nohup</c> or a supervisor that ignores HUP
    /// leaves it: the shell's trap sets SIG_IGN and an ignored signal stays ignored across exec (POSIX).
    /// </summary>
    public static ServerProcess StartWithSighupIgnored(params string[] args) =>
        Launch("/bin/sh", ["-c", "trap '' HUP; exec \"$0\" \"$@\"", Command.File, .. Command.Prefix, .. args], new Dictionary<string, string>());

    private static ServerProcess Launch(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        // Parallel servers must not fight over the API's default port; a test that cares says so.
        info.Environment["GSLBDNS_Server__ApiListen"] = "127.0.0.1:0";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = System.Diagnostics.Process.Start(info)!;
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._stdout) server._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._stderr) server._stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // flushes the redirected streams
        return _process.ExitCode;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < until)
        {
            if (Stdout.Contains(text, StringComparison.Ordinal)) return;
            if (_process.HasExited) break;
            await Task.Delay(25);
        }
        Assert.Fail($"'{text}' did not appear. stdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    public void Signal(string name)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
