using System.Globalization;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Process;

/// <summary>
/// The real process hands back the pages of its program files that only start-up used, a few
/// seconds after it is up, and goes on answering (the pages it needs fault back in). How much it
/// gets back depends on whether other processes map the same files (the test runner starts many
/// servers from one folder, and the kernel keeps shared pages); the unit tests measure that part
/// on a file only they map.
/// </summary>
public sealed partial class ProgramPagesTests
{
    [Fact]
    public async Task AfterStart_ProgramPagesAreHandedBack_AndQueriesAreStillAnswered()
    {
        using var server = await RunningServer.StartAsync();
        await server.Process.WaitForOutputAsync("program pages used only at start handed back", TimeSpan.FromSeconds(60));

        var logged = Released().Match(server.Process.Stdout);
        Assert.True(logged.Success, server.Process.Stdout);
        long before = long.Parse(logged.Groups[1].Value, CultureInfo.InvariantCulture);
        long after = long.Parse(logged.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(before > 256, $"program pages resident before: {before} KiB");
        Assert.True(after <= before, $"resident {before} KiB before, {after} KiB after");

        var client = new WireClient(server.Dns);
        foreach (bool tcp in new[] { false, true })
        {
            var reply = await client.QueryAsync(tcp, "www.example.com", RecordType.A);
            Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
            Assert.Equal("192.0.2.1", ((ARecord)reply.AnswerRecords.Single()).Address.ToString());
        }
        Assert.Equal((System.Net.HttpStatusCode.OK, "ready\n"), await server.GetAsync("/readyz"));
    }

    [GeneratedRegex(@"resident (\d+) KiB before, (\d+) KiB after")]
    private static partial Regex Released();
}
