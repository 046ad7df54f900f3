using GslbDns.Protocol;
using GslbDns.Transfer;
using GslbDns.Tsig;

namespace GslbDns.Tests.Transfer;

public sealed class TransferRulesReaderTests
{
    private static readonly TsigKeyring Keys = new([new TsigKey(DnsName.Parse("transfer-key."), TsigAlgorithm.HmacSha256, [1, 2, 3])]);
    private static readonly HashSet<DnsName> Zones = new([DnsName.Parse("example.com."), DnsName.Parse("example.net.")], WireComparer.Instance);

    [Fact]
    public void TheDocumentedShape_IsRead()
    {
        var (rules, problems) = TransferRulesReader.ReadText("""
            example.com:
              allow: [192.0.2.53/32, "2001:db8::53/128"]
              tsig: [transfer-key]
              notify: ["192.0.2.53", "[2001:db8::53]:5300", "198.51.100.1:5301", "2001:db8::1"]
            example.net:
              tsig: transfer-key
            """, "transfer.yaml", Keys, Zones);

        Assert.Empty(problems);
        var com = rules!.Find(DnsName.Parse("example.com."))!;
        Assert.Equal(["192.0.2.53/32", "2001:db8::53/128"], com.Allow!.Value.Select(p => p.ToString()));
        Assert.Equal("transfer-key.", com.NotifyKey!.ToString());
        Assert.Equal(["192.0.2.53:53", "[2001:db8::53]:5300", "198.51.100.1:5301", "[2001:db8::1]:53"], com.Notify.Select(e => e.ToString()));
        var net = rules.Find(DnsName.Parse("example.net."))!;
        Assert.Null(net.Allow);
        Assert.Empty(net.Notify);
    }

    [Fact]
    public void EveryProblem_IsReportedWithItsLine()
    {
        var (rules, problems) = TransferRulesReader.ReadText("""
            example.com:
              notify: [192.0.2.53:99999]
            example.net:
              allow: [192.0.2.300]
              tsig: [other-key]
            example.org: { allow: [192.0.2.1] }
            """, "transfer.yaml", Keys, Zones);

        Assert.Null(rules);
        Assert.Equal(
        [
            "transfer.yaml:1: zone example.com. has neither allow nor tsig, which would let anyone transfer it; give allow: [ADDRESS/LEN], tsig: [KEY] or both",
            "transfer.yaml:2: notify entry '192.0.2.53:99999' of example.com. is not ADDRESS, ADDRESS:PORT or [IPv6]:PORT",
            "transfer.yaml:4: allow entry '192.0.2.300' of example.net.: " + problems[2].Message.Split(": ", 2)[1],
            "transfer.yaml:5: key 'other-key' is not in the --tsig-keys file (it has transfer-key.)",
            "transfer.yaml:6: zone example.org. is not served: no zone file has this origin",
        ], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void EmptyFile_TransfersNothing()
    {
        var (rules, problems) = TransferRulesReader.ReadText("", "transfer.yaml", Keys, Zones);

        Assert.Empty(problems);
        Assert.Empty(rules!.Rules);
    }
}
