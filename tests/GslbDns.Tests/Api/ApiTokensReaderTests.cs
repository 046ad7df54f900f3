using GslbDns.Api;
using GslbDns.Protocol;
using GslbDns.Steering.State;

namespace GslbDns.Tests.Api;

public class ApiTokensReaderTests
{
    private const string File = "secrets/api-tokens.yaml";

    private static string[] Problems(string text)
    {
        var (tokens, problems) = ApiTokensReader.ReadText(text, File);
        Assert.Equal(problems.Count == 0, tokens is not null);
        return problems.Select(p => p.ToString()).ToArray();
    }

    private static RegionKey Key(string service, string region) => new(DnsName.Parse(service), region);

    [Fact]
    public void GoodFile_GivesTokensWithPatternsAndAdmin()
    {
        var (tokens, problems) = ApiTokensReader.ReadText("""
            tokens:
              eu-lb: { secret: "long-random-string", load: ["www.example.com/eu"] }   # may report for these
              ops:   { secret: "another-one-long-enough", load: ["*/*"], admin: true }
              any-eu:
                secret: "yet-another-long-one"
                load: "*/eu"
            """, File);
        Assert.Empty(problems);
        Assert.Equal(["eu-lb", "ops", "any-eu"], tokens!.Tokens.Select(t => t.Name));
        var eu = tokens.Find("long-random-string")!;
        Assert.Equal("eu-lb", eu.Name);
        Assert.False(eu.Admin);
        Assert.True(eu.MayReport(Key("WWW.Example.COM.", "eu")));
        Assert.False(eu.MayReport(Key("www.example.com.", "us")));
        Assert.False(eu.MayReport(Key("api.example.com.", "eu")));
        Assert.True(tokens.Find("another-one-long-enough")!.Admin);
        Assert.True(tokens.Find("another-one-long-enough")!.MayReport(Key("x.example.net.", "ap")));
        var anyEu = tokens.Find("yet-another-long-one")!;
        Assert.True(anyEu.MayReport(Key("api.example.com.", "eu")));
        Assert.False(anyEu.MayReport(Key("api.example.com.", "us")));
        Assert.Null(tokens.Find("long-random-strinG"));
        Assert.Null(tokens.Find(""));
        Assert.Equal("eu-lb", eu.ToString());
    }

    [Fact]
    public void EmptyFile_HasNoTokens()
    {
        Assert.Empty(ApiTokensReader.ReadText("", File).Tokens!.Tokens);
        Assert.Empty(ApiTokensReader.ReadText("tokens:\n", File).Tokens!.Tokens);
    }

    [Fact]
    public void EveryProblem_IsReportedWithFileAndLine_AndNoSecretIsEchoed()
    {
        var problems = Problems("""
            tokens:
              a: { secret: "short-one" }
              b: { load: ["*/*"] }
              c: { secret: "the-same-secret-twice" }
              d: { secret: "the-same-secret-twice" }
              e: { secret: "long-enough-secret-e", load: ["www.example.com"] }
              f: { secret: "long-enough-secret-f", load: ["ww*.example.com/eu", "*/e*", "bad..name/eu"] }
              g: { secret: "long-enough-secret-g", admin: yes }
              h: { secret: "long-enough-secret-h", colour: blue }
            other: 1
            """);
        Assert.Equal([
            $"{File}:10: unknown key 'other' in the tokens file; expected one of: tokens",
            $"{File}:2: secret of token 'a' is 9 characters; use at least 16 (for example: openssl rand -hex 32)",
            $"{File}:3: token 'b' has no secret",
            $"{File}:5: secret of token 'd' is the same as that of token 'c' (line 4); give each token its own",
            $"{File}:6: load pattern of token 'e': 'www.example.com' is not service/region (for example www.example.com/eu, */eu or www.example.com/*)",
            $"{File}:7: load pattern of token 'f': 'ww*.example.com/eu': bad service name 'ww*.example.com' ('*' stands alone for any service)",
            $"{File}:7: load pattern of token 'f': '*/e*': bad region name 'e*' ('*' stands alone for any region)",
            $"{File}:7: load pattern of token 'f': 'bad..name/eu': bad service name 'bad..name'",
            $"{File}:8: admin of token 'g' must be true or false, found 'yes'",
            $"{File}:9: unknown key 'colour' in token 'h'; expected one of: secret, load, admin",
        ], problems);
        Assert.DoesNotContain(problems, p => p.Contains("short-one", StringComparison.Ordinal) || p.Contains("the-same-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongShapes_AreReported()
    {
        Assert.Equal([$"{File}:1: the tokens file must be a mapping, found a list"], Problems("- a\n- b\n"));
        Assert.Equal([$"{File}:2: token 'a' must be a mapping, found a scalar"], Problems("tokens:\n  a: x\n"));
        Assert.Equal([$"{File}:3: token 'a' is defined twice (first at line 2)"],
            Problems("tokens:\n  a: { secret: \"long-enough-secret-a\" }\n  a: { secret: \"long-enough-secret-b\" }\n"));
        Assert.StartsWith($"{File}:2: YAML syntax error", Problems("tokens:\n  a: { secret: \"x\"\n  b: 1\n")[0], StringComparison.Ordinal);
    }
}
