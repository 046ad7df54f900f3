using System.Text.Json;
using GslbDns.Tests.Geo;

namespace GslbDns.IntegrationTests.Deployment;

/// <summary>
/// The Dockerfile against the binary it packages (no Docker engine runs here; .ci/smoke runs the
/// image's publish command and its HEALTHCHECK against the published binary).
/// </summary>
public sealed class DockerfileTests
{
    private static readonly IReadOnlyList<(string Instruction, string Arguments)> Instructions = Read(Path.Combine(GeoTestData.RepositoryRoot, "Dockerfile"));

    [Fact]
    public void RuntimeImage_HasEveryFrameworkTheBinaryNeeds()
    {
        var runtime = Instructions.Last(i => i.Instruction == "FROM").Arguments.Split(' ')[0];
        if (PublishArguments().Contains("-p:PublishProfile=aot"))
        {
            // A native executable that carries its runtime: runtime-deps has the native libraries only.
            var profile = System.Xml.Linq.XDocument.Load(Path.Combine(GeoTestData.RepositoryRoot, "src/GslbDns/Properties/PublishProfiles/aot.pubxml"));
            string? Property(string name) => profile.Descendants(name).SingleOrDefault()?.Value;
            Assert.Equal("true", Property("PublishAot"));
            Assert.Equal("true", Property("SelfContained"));
            Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:10.0", runtime, StringComparison.Ordinal);
            return;
        }
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "gslbdns.runtimeconfig.json")));
        var frameworks = config.RootElement.GetProperty("runtimeOptions").GetProperty("frameworks").EnumerateArray()
            .Select(f => f.GetProperty("name").GetString()).ToList();
        // Microsoft's images: runtime has Microsoft.NETCore.App, aspnet adds Microsoft.AspNetCore.App.
        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", runtime, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishCommand_IsTheOneSmokeRuns()
    {
        // .ci/smoke serves and checks what this command writes, so the image holds a tested binary.
        var smoke = File.ReadLines(Path.Combine(GeoTestData.RepositoryRoot, ".ci/smoke"))
            .Where(l => l.TrimStart().StartsWith("dotnet publish ", StringComparison.Ordinal))
            .Select(l => Significant(l.Trim()));
        var image = PublishArguments();
        Assert.Contains(smoke, command => command.SequenceEqual(image));
    }

    /// <summary>The build stage's <c>dotnet publish</c> arguments that decide the binary (not where it goes, nor how loud).</summary>
    private static List<string> PublishArguments() =>
        Significant(Assert.Single(Instructions, i => i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal)).Arguments);

    private static List<string> Significant(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var kept = new List<string>();
        for (int i = 0; i < words.Count; i++)
        {
            if (words[i] is "-o" or "-v") { i++; continue; }
            if (words[i] == "--nologo") continue;
            kept.Add(words[i]);
        }
        return kept;
    }

    [Fact]
    public void Image_RunsAsNonRoot_ChecksHealthWithTheVerb_AndExposesWhatTheOptionsListenOn()
    {
        Assert.Equal("$APP_UID", Instructions.Last(i => i.Instruction == "USER").Arguments);
        Assert.EndsWith("CMD [\"/app/gslbdns\", \"healthcheck\"]", Single("HEALTHCHECK"), StringComparison.Ordinal);
        Assert.Equal(["/app/gslbdns"], JsonSerializer.Deserialize<string[]>(Single("ENTRYPOINT"))!);

        var options = DeployedOptions.From(Environment(), JsonSerializer.Deserialize<string[]>(Single("CMD"))!);
        var exposed = Single("EXPOSE").Split(' ').ToHashSet();
        foreach (var port in DeployedOptions.DnsPorts(options))
        {
            Assert.Contains($"{port}/udp", exposed);
            Assert.Contains($"{port}/tcp", exposed);
        }
        Assert.Contains($"{DeployedOptions.ApiPort(options)}/tcp", exposed);
        // Probes and Prometheus reach the API from outside the container.
        Assert.Equal(System.Net.IPAddress.Any, Configuration.ServerOptionsValidator.ApiEndpoint(options)!.Address);
        // API drains are kept on the volume.
        Assert.Equal(Single("VOLUME"), options.StateDir);
    }

    private static Dictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>();
        foreach (var (_, arguments) in Instructions.Where(i => i.Instruction == "ENV"))
        {
            foreach (var pair in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                variables[pair[..eq]] = pair[(eq + 1)..];
            }
        }
        return variables;
    }

    private static string Single(string instruction) => Assert.Single(Instructions, i => i.Instruction == instruction).Arguments;

    /// <summary>The Dockerfile's instructions, continuation lines joined and comments dropped.</summary>
    private static List<(string, string)> Read(string path)
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }
            line = pending + line;
            pending = "";
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add((line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
        }
        return instructions;
    }
}
