using System.Diagnostics;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>What the README shows: dig's AXFR with -y against a running server.</summary>
public sealed class DigTests
{
    private static readonly string? Dig = SecondaryProcess.Find("dig");
    private const string Secret = "nbokF4dJW9doNrToqEmlVrsg79UQXFcQQEsJUqFRY9U=";

    private static async Task<string> RunDigAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Dig!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    [DigFact]
    public async Task DigAxfrWithTsig_TransfersTheSampleZone_AndVerifiesEveryMessage()
    {
        var keyFolder = TempFolder.Create();
        var keys = Path.Combine(keyFolder, "keys.conf");
        await File.WriteAllTextAsync(keys, $"key \"transfer-key\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{Secret}\";\n}};\n");
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = File.ReadAllText(RepositoryFiles.PathOf("zones", "example.com.zone")),
            ["example.com.gslb.yaml"] = File.ReadAllText(RepositoryFiles.PathOf("zones", "example.com.gslb.yaml")),
            ["transfer.yaml"] = "example.com:\n  allow: [127.0.0.1/32]\n  tsig: [transfer-key]\n",
        }, new Dictionary<string, string?>
        {
            ["Server:GeoIp:0"] = RepositoryFiles.PathOf("geoip"),
            ["Server:TsigKeys"] = keys,
        });
        string port = server.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var good = await RunDigAsync("@127.0.0.1", "-p", port, "example.com", "AXFR", "-y", $"hmac-sha256:transfer-key:{Secret}");
        var wrong = await RunDigAsync("@127.0.0.1", "-p", port, "example.com", "AXFR", "-y", "hmac-sha256:transfer-key:c2Vjb25kIHNlY3JldA==");

        Assert.Contains("XFR size: 24 records", good, StringComparison.Ordinal);
        Assert.Matches(@"www\.example\.com\.\s+30\s+IN\s+CNAME\s+us\.www\.example\.com\.", good);
        Assert.Matches(@"api\.example\.com\.\s+30\s+IN\s+A\s+192\.0\.2\.20", good);
        Assert.Matches(@"transfer-key\.\s+0\s+ANY\s+TSIG\s+hmac-sha256\. \d+ 300 32 \S+ \d+ NOERROR 0", good);
        Assert.DoesNotContain("failed", good, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("BADSIG", wrong, StringComparison.Ordinal);
        Directory.Delete(keyFolder, recursive: true);
    }

    private sealed class DigFactAttribute : FactAttribute
    {
        public DigFactAttribute()
        {
            if (Dig is null) Skip = "dig is not installed (apt-get install bind9-dnsutils)";
        }
    }
}
