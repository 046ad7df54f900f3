using System.Diagnostics;
using System.Globalization;
using System.Net;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Process;

/// <summary>
/// The server watches only the folders it serves from. A watch on its working directory or its
/// binary's folder (the web host's and the generic host's configuration files, reloadOnChange) wakes
/// a thread for every file written anywhere below them, logs or captures included, and the garbage
/// that thread makes sets off collections that stop the queries during a zone reload.
/// </summary>
public sealed class FileWatchTests
{
    [Fact]
    public async Task TheWorkingDirectory_AndTheBinarysFolder_AreNotWatched()
    {
        if (!Directory.Exists("/proc/self/fdinfo")) return; // inotify's fdinfo is Linux's
        var cwd = TempFolder.Create();
        try
        {
            Directory.CreateDirectory(Path.Combine(cwd, "logs"));
            // A GeoIP folder that exists: a missing one is rightly watched from its parent, which
            // for the default relative "geoip" would be the working directory.
            var geo = Directory.CreateDirectory(Path.Combine(cwd, "geo")).FullName;
            using var server = await RunningServer.StartInAsync(cwd, null, "--geoip", geo);
            // The API is the last part to start; once it answers, every watcher the server sets up is set.
            await Poll.UntilAsync(async () => await server.GetAsync("/healthz") is (HttpStatusCode.OK, _), "/healthz answers");

            var watched = WatchedInodes(server.Process.Id);
            Assert.NotNull(watched);
            Assert.Contains(Inode(geo), watched); // the reading finds a watch where there is one
            Assert.DoesNotContain(Inode(cwd), watched);
            Assert.DoesNotContain(Inode(Path.Combine(cwd, "logs")), watched);
            Assert.DoesNotContain(Inode(ServerProcess.BinaryFolder), watched);
        }
        finally
        {
            Directory.Delete(cwd, recursive: true);
        }
    }

    /// <summary>The inodes of every inotify watch the process holds (fdinfo lines "inotify wd:N ino:HEX sdev:..."), or null if unreadable.</summary>
    private static HashSet<long>? WatchedInodes(int pid)
    {
        var inodes = new HashSet<long>();
        try
        {
            foreach (var file in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
            {
                string[] lines;
                try { lines = File.ReadAllLines(file); }
                catch (IOException) { continue; } // a descriptor closed meanwhile
                foreach (var line in lines)
                {
                    if (!line.StartsWith("inotify ", StringComparison.Ordinal)) continue;
                    var field = line.Split(' ').First(f => f.StartsWith("ino:", StringComparison.Ordinal));
                    inodes.Add(long.Parse(field.AsSpan(4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        return inodes;
    }

    private static long Inode(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        var text = stat.StandardOutput.ReadToEnd();
        stat.WaitForExit();
        return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }
}
