using GslbDns.Protocol;
using GslbDns.Tsig;

namespace GslbDns.Tests.Transfer;

public sealed class TsigKeyFileReaderTests
{
    [Fact]
    public void TsigKeygenOutput_WithSeveralKeysAndEveryCommentStyle_IsRead()
    {
        var (keys, problems) = TsigKeyFileReader.ReadText("""
            # tsig-keygen -a hmac-sha256 transfer-key
            key "transfer-key" {
            	algorithm hmac-sha256;
            	secret "nbokF4dJW9doNrToqEmlVrsg79UQXFcQQEsJUqFRY9U=";
            };
            // an older secondary
            key legacy.example. { algorithm HMAC-SHA1; secret "c2Vjb25k"; };
            /* a long
               comment */ key "big" { algorithm hmac-sha512; secret "c2Vjb25k"; };
            """, "keys.conf");

        Assert.Empty(problems);
        Assert.Equal(["transfer-key.", "legacy.example.", "big."], keys!.Keys.Select(k => k.Name.ToString()));
        Assert.Equal(["hmac-sha256", "hmac-sha1", "hmac-sha512"], keys.Keys.Select(k => k.Algorithm.Text));
        Assert.Equal(32, keys.Find(DnsName.Parse("transfer-key."))!.Secret.Length);
    }

    [Fact]
    public void EveryProblem_IsReportedWithItsLine()
    {
        var (keys, problems) = TsigKeyFileReader.ReadText("""
            key "a" {
                algorithm hmac-md5;
                secret "not base64!";
            };
            key "b" { secret "c2Vjb25k"; };
            key "a" { algorithm hmac-sha256; secret "c2Vjb25k"; };
            key "c" { algorithm hmac-sha256; colour "blue"; secret "c2Vjb25k"; };
            """, "keys.conf");

        Assert.Null(keys);
        Assert.Equal(
        [
            "keys.conf:2: algorithm 'hmac-md5' is not supported; use one of hmac-sha1, hmac-sha256, hmac-sha512",
            "keys.conf:3: the secret of key \"a\" is not base64 (tsig-keygen writes one)",
            "keys.conf:5: key \"b\" has no algorithm (algorithm hmac-sha256;)",
            "keys.conf:6: key \"a\" is defined twice (first at line 1)",
            "keys.conf:7: unknown clause 'colour' in key \"c\"; expected algorithm or secret",
        ], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void UnclosedKey_IsReported()
    {
        var (keys, problems) = TsigKeyFileReader.ReadText("key \"a\" {\n  algorithm hmac-sha256;\n", "keys.conf");

        Assert.Null(keys);
        Assert.Contains(problems, p => p.ToString() == "keys.conf:1: key \"a\" is not closed with '};'");
    }
}
