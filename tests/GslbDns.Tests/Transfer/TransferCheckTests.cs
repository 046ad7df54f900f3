using GslbDns.Commands;

namespace GslbDns.Tests.Transfer;

/// <summary>`gslbdns check` reads transfer.yaml as the server does and reports its problems with the zones'.</summary>
public sealed class TransferCheckTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 7200 900 1209600 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        """;

    private static (int Code, string Out, string Err) Check(string transferYaml)
    {
        var folder = Path.Combine(Path.GetTempPath(), "gslbdns-check-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "example.com.zone"), Zone);
            File.WriteAllText(Path.Combine(folder, "transfer.yaml"), transferYaml);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = CheckCommand.Run(folder, stdout, stderr, SteeringFilesCheck.Run);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void BadTransferFile_IsReportedWithFileAndLine_AndExitsOne()
    {
        var (code, _, errors) = Check("example.com:\n  notify: [192.0.2.53]\nexample.org: { allow: [192.0.2.1] }\n");

        Assert.Equal(CheckCommand.ProblemsFound, code);
        Assert.Contains("transfer.yaml:1: zone example.com. has neither allow nor tsig", errors, StringComparison.Ordinal);
        Assert.Contains("transfer.yaml:3: zone example.org. is not served", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void GoodTransferFile_PassesWithoutTheKeyFile()
    {
        var (code, output, errors) = Check("example.com:\n  allow: [192.0.2.53]\n  tsig: [transfer-key]\n");

        Assert.Equal(CheckCommand.Valid, code);
        Assert.Equal("", errors);
        Assert.Contains("no problems", output, StringComparison.Ordinal);
    }
}
