using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Process;
using GslbDns.IntegrationTests.Steering;

namespace GslbDns.IntegrationTests.Reloading;

/// <summary>
/// A file broken in the middle (a YAML brace left open, a zone line that does not parse) is reported
/// as file:line by check and by the server, keeps its last good version serving, and never stops the
/// other files from reloading.
/// </summary>
public sealed class BrokenFileTests
{
    private const string Asia = "1.1.5.0/24";

    /// <summary>The steering policy with an unclosed brace on line 7, lines after it.</summary>
    private static readonly string BrokenPolicy = SteeringSetup.Policy.Replace(
        "      eu: { target: eu.www, location: [50.11, 8.68] }", "      eu: { target: eu.www, location: [50.11, 8.68]");

    private const string BrokenAdmin = "# overrides\nwww.example.com: { eu: drain\nexample.com:\n  www: { us: active }\n";

    private const string BrokenZone = """
        $ORIGIN example.org.
        @     300 SOA ns1 hostmaster 1 7200 900 1209600 300
        @     300 NS  ns1
        ns1   300 A   192.0.2.53
        bad   300 A   192.0.2.300
        www   300 A   192.0.2.1
        worse 300 MX  ten mail
        """;

    private const string GoodZone = """
        $ORIGIN example.org.
        @     300 SOA ns1 hostmaster 1 7200 900 1209600 300
        @     300 NS  ns1
        ns1   300 A   192.0.2.53
        www   300 A   192.0.2.1

        """;

    private static string LineOf(string text, string fragment) =>
        (text.Split('\n').ToList().FindIndex(l => l.Contains(fragment, StringComparison.Ordinal)) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("policy")]
    [InlineData("admin")]
    [InlineData("zone")]
    public async Task Check_ReportsTheBrokenLine_ExitsOne(string kind)
    {
        var zones = TempFolder.Create();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), SteeringSetup.Zone);
            await File.WriteAllTextAsync(Path.Combine(zones, "example.com.gslb.yaml"), kind == "policy" ? BrokenPolicy : SteeringSetup.Policy);
            if (kind == "admin") await File.WriteAllTextAsync(Path.Combine(zones, "admin-state.yaml"), BrokenAdmin);
            if (kind == "zone") await File.WriteAllTextAsync(Path.Combine(zones, "example.org.zone"), BrokenZone);
            using var process = ServerProcess.Start("check", zones);
            Assert.Equal(1, await process.WaitForExitAsync());
            var output = process.Stdout + process.Stderr;
            Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
            switch (kind)
            {
                case "policy":
                    Assert.Contains($"example.com.gslb.yaml:{LineOf(BrokenPolicy, "eu: { target: eu.www, location")}:", output, StringComparison.Ordinal);
                    break;
                case "admin":
                    Assert.Contains("admin-state.yaml:2:", output, StringComparison.Ordinal);
                    break;
                default:
                    // Both bad lines, not only the first.
                    Assert.Contains("example.org.zone:5:", output, StringComparison.Ordinal);
                    Assert.Contains("example.org.zone:7:", output, StringComparison.Ordinal);
                    break;
            }
        }
        finally
        {
            Directory.Delete(zones, recursive: true);
        }
    }

    [Fact]
    public async Task BrokenPolicy_KeepsTheOldPolicy_WhileADrainAndAnotherZoneStillReload()
    {
        await using var server = await SteeringSetup.StartAsync();
        Assert.Equal("ap", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply));
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.com.gslb.yaml"), BrokenPolicy);
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "admin-state.yaml"), "www.example.com: { ap: drain }\n");
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.org.zone"), GoodZone);

        await Poll.UntilAsync(async () => (await server.Client.QueryAsync(false, "www.example.org", RecordType.A)).ReturnCode == ReturnCode.NoError,
            "the new zone is served");
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply) == "us",
            "the drain applied although the policy file is broken");
        // The old policy still steers: Europe goes to eu.
        Assert.Equal("eu", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, "1.2.5.0/24")).Reply));
    }

    [Fact]
    public async Task BrokenAdminState_KeepsTheOverridesInForce_WhileAnotherZoneReloads()
    {
        await using var server = await SteeringSetup.StartAsync(admin: "www.example.com: { ap: drain }\n");
        Assert.Equal("us", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply));
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "admin-state.yaml"), BrokenAdmin);
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.org.zone"), GoodZone);
        await Poll.UntilAsync(async () => (await server.Client.QueryAsync(false, "www.example.org", RecordType.A)).ReturnCode == ReturnCode.NoError,
            "the new zone is served");
        Assert.Equal("us", Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply));
    }

    [Fact]
    public async Task BrokenZone_KeepsItsLastGoodVersion_WhileAnotherZoneReloads()
    {
        await using var server = await SteeringSetup.StartAsync();
        var good = GoodZone;
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.org.zone"), good);
        await Poll.UntilAsync(async () => (await server.Client.QueryAsync(false, "www.example.org", RecordType.A)).ReturnCode == ReturnCode.NoError,
            "example.org served");
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.org.zone"), BrokenZone.Replace("192.0.2.1", "192.0.2.2"));
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "admin-state.yaml"), "www.example.com: { ap: drain }\n");
        await Poll.UntilAsync(async () => Ecs.Region((await Ecs.QueryAsync(server.Client, "www.example.com", RecordType.A, Asia)).Reply) == "us",
            "the drain applied although a zone file is broken");
        var answer = (await server.Client.QueryAsync(false, "www.example.org", RecordType.A)).AnswerRecords.OfType<ARecord>().Single();
        Assert.Equal("192.0.2.1", answer.Address.ToString());
    }

    [Fact]
    public async Task BrokenFilesAtFirstStart_SayTheServerDoesNotStart()
    {
        var zones = TempFolder.Create();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(zones, "example.com.zone"), SteeringSetup.Zone);
            await File.WriteAllTextAsync(Path.Combine(zones, "example.com.gslb.yaml"), BrokenPolicy);
            await File.WriteAllTextAsync(Path.Combine(zones, "example.org.zone"), BrokenZone);
            using var process = ServerProcess.Start("--zones", zones, "--listen", "127.0.0.1:0", "--geoip", zones);
            Assert.Equal(1, await process.WaitForExitAsync());
            var output = process.Stdout + process.Stderr;
            Assert.Contains("Zone file example.org.zone rejected; the server does not start", output, StringComparison.Ordinal);
            Assert.Contains("Policy file example.com.gslb.yaml rejected; the server does not start", output, StringComparison.Ordinal);
            Assert.DoesNotContain("keeps serving", output, StringComparison.Ordinal);
            Assert.Contains("cannot start", process.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(zones, recursive: true);
        }
    }
}
