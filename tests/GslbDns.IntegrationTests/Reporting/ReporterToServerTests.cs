using GslbDns.Commands;
using GslbDns.IntegrationTests.Reloading;
using GslbDns.IntegrationTests.Shedding;
using GslbDns.IntegrationTests.Steering;
using GslbDns.Protocol;
using GslbDns.Steering.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.IntegrationTests.Reporting;

/// <summary>The reporter against a running server: its reports are accepted and steer answers.</summary>
public sealed class ReporterToServerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gslbdns-report-server-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A container's cgroup: 2 CPUs of quota, 4 GiB of memory of which 3.8 GiB in use.</summary>
    private string Cgroup(long usageMicroseconds)
    {
        var cgroup = Path.Combine(_folder, "cgroup");
        Directory.CreateDirectory(cgroup);
        File.WriteAllText(Path.Combine(cgroup, "cpu.max"), "200000 100000\n");
        File.WriteAllText(Path.Combine(cgroup, "cpu.stat"), $"usage_usec {usageMicroseconds}\nuser_usec 0\nsystem_usec 0\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.max"), $"{4L << 30}\n");
        File.WriteAllText(Path.Combine(cgroup, "memory.current"), $"{(long)(3.8 * (1L << 30))}\n");
        return cgroup;
    }

    [Fact]
    public async Task Reports_ArriveAtTheServer_PastAnUnreachableOne_AndShedItsClients()
    {
        await using var server = await SheddingSetup.StartAsync();
        var token = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(token, SheddingSetup.Secret + "\n");
        var dead = $"http://127.0.0.1:{Eventually.DeadPort()}";
        string[] args =
        [
            "--to", dead, "--to", server.ApiBase!.ToString(), "--service", "www.example.com", "--region", "eu",
            "--token-file", token, "--cgroup", Cgroup(1_000_000), "--once",
        ];

        var errors = new StringWriter();
        using var loggers = NullLoggerFactory.Instance;
        int code = await Task.Run(() => ReportCommand.RunAsync(args, errors, loggers, TimeProvider.System, "/", CancellationToken.None));
        // One instance refused the connection, so --once says not every instance took it.
        Assert.Equal(1, code);

        var store = server.Services.GetRequiredService<RegionStateStore>();
        var received = store.LoadOf(new RegionKey(DnsName.Parse("www.example.com."), "eu"));
        Assert.NotNull(received);
        Assert.True(received.Value.Valid);
        Assert.Equal("api lbs", received.Value.Load.Source);
        Assert.Equal(0.95, received.Value.Load.Report.Memory!.Value, 2);

        // Memory at 0.95 is eu's full: every client network goes to us.
        await Poll.UntilAsync(async () =>
        {
            var (reply, _) = await Ecs.QueryAsync(server.Client, "www.example.com", ARSoft.Tools.Net.Dns.RecordType.A, "20.0.3.0/24");
            return Ecs.Region(reply) == "us";
        }, "eu to shed its clients");
    }
}
