using GslbDns.Commands;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Process;

namespace GslbDns.IntegrationTests.Steering;

/// <summary>`gslbdns explain` as an operator runs it, on the same files a server would serve.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    private readonly string _zones = TempFolder.Create();
    private readonly string _geo = TempFolder.Create();

    public ExplainCommandTests()
    {
        File.WriteAllText(Path.Combine(_zones, "example.com.zone"), SteeringSetup.Zone);
        File.WriteAllText(Path.Combine(_zones, "example.com.gslb.yaml"), SteeringSetup.Policy);
        SteeringSetup.BuildGeoDatabase(_geo);
    }

    public void Dispose()
    {
        Directory.Delete(_zones, recursive: true);
        Directory.Delete(_geo, recursive: true);
    }

    [Fact]
    public async Task Explain_ShowsEachStep_AndTheExactReply()
    {
        using var process = ServerProcess.Start("explain", "www.example.com", "--subnet", "1.1.5.0/24", "--zones", _zones, "--geoip", _geo);
        Assert.Equal(0, await process.WaitForExitAsync());
        var output = process.Stdout;
        Assert.Contains("Client:      ECS 1.1.5.0/24", output, StringComparison.Ordinal);
        Assert.Contains("country=JP continent=AS", output, StringComparison.Ordinal);
        Assert.Contains("example.com.gslb.yaml:14", output, StringComparison.Ordinal); // the continent AS rule
        Assert.Contains("Preference:  [ap, us, eu]", output, StringComparison.Ordinal);
        Assert.Contains("Choice:      ap", output, StringComparison.Ordinal);
        Assert.Contains("ECS scope:   /16", output, StringComparison.Ordinal);
        Assert.Contains("answer     www.example.com. 20 IN CNAME ap.www.example.com.", output, StringComparison.Ordinal);
        Assert.Contains("answer     ap.www.example.com. 60 IN A 203.0.113.10", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ByClientAddress_UsesCidrRules()
    {
        using var process = ServerProcess.Start("explain", "www.example.com", "--client", "127.0.0.2", "--zones", _zones, "--geoip", _geo);
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains("Client:      source address 127.0.0.2", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("Choice:      eu", process.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_PlainName_SaysItIsNotSteered()
    {
        using var process = ServerProcess.Start("explain", "ns1.example.com", "--zones", _zones, "--geoip", _geo);
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Contains("Steering:    none", process.Stdout, StringComparison.Ordinal);
        Assert.Contains("answer     ns1.example.com. 300 IN A 192.0.2.53", process.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--subnet", "1.1.5.1/24")]
    [InlineData("--client", "not-an-ip")]
    [InlineData("--type", "NOPE")]
    public async Task Explain_BadArguments_ExitTwoWithReason(string option, string value)
    {
        using var process = ServerProcess.Start("explain", "www.example.com", option, value, "--zones", _zones);
        Assert.Equal(2, await process.WaitForExitAsync());
        Assert.StartsWith("gslbdns explain: ", process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_BadPolicy_ExitsOneWithFileAndLine()
    {
        File.WriteAllText(Path.Combine(_zones, "example.com.gslb.yaml"), SteeringSetup.Policy.Replace("weight: 50", "weight: -5", StringComparison.Ordinal));
        using var process = ServerProcess.Start("explain", "www.example.com", "--zones", _zones, "--geoip", _geo);
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains("example.com.gslb.yaml:", process.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>`gslbdns check` also reads the steering files beside the zones.</summary>
public sealed class CheckSteeringFilesTests : IDisposable
{
    private readonly string _zones = TempFolder.Create();

    public void Dispose() => Directory.Delete(_zones, recursive: true);

    [Fact]
    public async Task Check_ReportsPolicyAndAdminProblems_WithFileAndLine()
    {
        File.WriteAllText(Path.Combine(_zones, "example.com.zone"), SteeringSetup.Zone);
        File.WriteAllText(Path.Combine(_zones, "example.com.gslb.yaml"),
            SteeringSetup.Policy.Replace("target: eu.www, location", "target: nowhere, location", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_zones, "admin-state.yaml"), "www.example.com: { eu: sleepy }\n");
        using var process = ServerProcess.Start("check", _zones);
        Assert.Equal(1, await process.WaitForExitAsync());
        Assert.Contains("example.com.gslb.yaml:7:", process.Stderr, StringComparison.Ordinal);
        Assert.Contains("admin-state.yaml:1:", process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ValidSteeringFiles_ExitZero()
    {
        File.WriteAllText(Path.Combine(_zones, "example.com.zone"), SteeringSetup.Zone);
        File.WriteAllText(Path.Combine(_zones, "example.com.gslb.yaml"), SteeringSetup.Policy);
        File.WriteAllText(Path.Combine(_zones, "admin-state.yaml"), "www.example.com: { eu: drain }\n");
        using var process = ServerProcess.Start("check", _zones);
        Assert.Equal(0, await process.WaitForExitAsync());
        Assert.Equal("", process.Stderr);
    }
}
