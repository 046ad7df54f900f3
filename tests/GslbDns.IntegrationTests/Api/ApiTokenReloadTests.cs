using System.Net;
using GslbDns.Api;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;
using Microsoft.Extensions.DependencyInjection;
using static GslbDns.IntegrationTests.Api.ApiScenario;

namespace GslbDns.IntegrationTests.Api;

/// <summary>The tokens file re-read while serving, and refused at start when it is bad or misplaced.</summary>
public sealed class ApiTokenReloadTests
{
    private const string NewSecret = "brand-new-secret-0123456789";

    [Fact]
    public async Task ReplacedTokensFile_NewTokenValid_OldRejected_AndABadReplacementKeepsThem()
    {
        await using var s = await StartAsync();
        using var old = Client(EuSecret);
        using var fresh = Client(NewSecret);
        Assert.Equal(HttpStatusCode.NoContent, (await s.ReportAsync(old, "eu", """{"cpu":0.1}""")).StatusCode);

        await ReplaceAsync(s.TokensFile, $$"""
            tokens:
              eu-lb-2: { secret: "{{NewSecret}}", load: ["www.example.com/eu"] }
            """);
        await Poll.UntilAsync(async () => (await s.ReportAsync(fresh, "eu", """{"cpu":0.2}""")).StatusCode == HttpStatusCode.NoContent, "the new token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.ReportAsync(old, "eu", """{"cpu":0.3}""")).StatusCode);
        Assert.Equal("api eu-lb-2", (await s.RegionAsync("eu")).Load.Report!.Source);

        var service = s.Server.Services.GetRequiredService<ApiTokenService>();
        int generation = service.Generation;
        await ReplaceAsync(s.TokensFile, $$"""
            tokens:
              eu-lb-3: { secret: "short", load: ["www.example.com/eu"] }
            """);
        await Poll.UntilAsync(() => Task.FromResult(service.Generation > generation), "the bad file to be read");
        Assert.Equal(HttpStatusCode.NoContent, (await s.ReportAsync(fresh, "eu", """{"cpu":0.4}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.ReportAsync(old, "eu", """{"cpu":0.5}""")).StatusCode);
    }

    [Fact]
    public async Task BadTokensFileAtStart_StopsTheServer_WithFileLineProblems()
    {
        var e = await Assert.ThrowsAsync<ZoneLoadException>(() => StartAsync(tokens: """
            tokens:
              a: { secret: "too-short" }
              b: { secret: "long-enough-secret-1", load: ["www.example.com"] }
            """));
        Assert.Equal(2, e.Problems.Count);
        Assert.Equal(2, e.Problems[0].Location.Line);
        Assert.Contains("secret of token 'a' is 9 characters; use at least 16", e.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Problems[1].Location.Line);
        Assert.DoesNotContain("too-short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensFileInsideTheZonesFolder_IsRefusedAtStart()
    {
        var folder = TempFolder.Create();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "example.com.zone"), Zone);
            await File.WriteAllTextAsync(Path.Combine(folder, "tokens.yaml"), Tokens);
            var e = await Assert.ThrowsAsync<GslbDns.Configuration.ServerOptionsException>(() => TestServer.StartOnFolderAsync(folder,
                new Dictionary<string, string?> { ["Server:ApiTokens"] = Path.Combine(folder, "tokens.yaml") }));
            Assert.Contains("is inside the zones folder", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Written beside and renamed over, as editors and deploy tools do.</summary>
    private static async Task ReplaceAsync(string path, string text)
    {
        var temp = path + ".new";
        await File.WriteAllTextAsync(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
