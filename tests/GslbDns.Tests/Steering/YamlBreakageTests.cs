using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Tests.Steering;

/// <summary>Every way a YAML file can be broken becomes one file:line problem, never an exception.</summary>
public class YamlBreakageTests
{
    private const string Valid = """
        defaults:
          ttl: 20
        services:
          www:
            regions:
              a: { target: a.www }
              b: { target: b.www }
            topology:
              - default: [a, b]
        # end
        """;

    /// <summary>The valid policy with one line replaced; the number is the broken line, in the middle of the file.</summary>
    public static TheoryData<string, int, string, string> PolicyBreakages => new()
    {
        { "unclosed brace", 6, "      a: { target: a.www }", "      a: { target: a.www" },
        { "unclosed bracket", 9, "      - default: [a, b]", "      - default: [a, b" },
        { "unclosed double quote", 6, "      a: { target: a.www }", "      a: { target: \"a.www }" },
        { "unclosed single quote", 6, "      a: { target: a.www }", "      a: { target: 'a.www }" },
        { "bad indentation", 7, "      b: { target: b.www }", "       b: { target: b.www }" },
        { "tab", 7, "      b: { target: b.www }", "\tb: { target: b.www }" },
        { "duplicate anchor", 8, "      b: { target: b.www }", "      b: &x { target: b.www }\n      c: &x { target: b.www }" },
        { "alias to an unknown anchor", 7, "      b: { target: b.www }", "      b: *nowhere" },
    };

    [Theory]
    [MemberData(nameof(PolicyBreakages))]
    public void PolicyBreakage_IsOneProblemAtItsLine(string what, int line, string good, string broken)
    {
        Assert.Empty(PolicyText.Read(Valid).Problems);
        var text = Valid.Replace(good, broken, StringComparison.Ordinal);

        var problem = Assert.Single(PolicyText.Problems(text));

        Assert.StartsWith($"{PolicyText.File}:{line}: ", problem);
        Assert.True(problem.Contains("YAML syntax error", StringComparison.Ordinal) || problem.Contains("anchor &x", StringComparison.Ordinal), what + ": " + problem);
    }

    [Fact]
    public void DuplicateAnchor_NamesTheFirst()
    {
        var text = "services:\n  www:\n    regions:\n      a: &x { target: a.www }\n      b: &x { target: b.www }\n    topology:\n      - default: [a]\n";
        Assert.Equal(["example.com.gslb.yaml:5: anchor &x is already defined at line 4; give this one another name"], PolicyText.Problems(text));
    }

    [Fact]
    public void UnclosedBrace_InTheMiddle_NamesItsLineAndSaysTheRestIsUnchecked()
    {
        var text = "services:\n  www:\n    regions:\n      eu: { target: eu.www\n    topology:\n      - default: [eu]\n";
        Assert.Equal(["example.com.gslb.yaml:4: YAML syntax error: this '{' is not closed (further checks skipped)"], PolicyText.Problems(text));
    }

    [Theory]
    [InlineData("example.com:\n  api: { us: down }\nwww.example.com: { eu: drain\nother.example.com: { us: down }\n", 3)]
    [InlineData("example.com:\n  api: { us: down }\n  www: [eu, drain\nother.example.com: { us: down }\n", 3)]
    [InlineData("example.com:\n  api: { us: down }\nwww.example.com: { eu: \"drain }\nother.example.com: { us: down }\n", 3)]
    [InlineData("example.com:\n  api: { us: down }\n\twww: { eu: drain }\nother.example.com: { us: down }\n", 3)]
    [InlineData("example.com:\n  api: { us: down }\n   www: { eu: drain }\nother.example.com: { us: down }\n", 3)]
    [InlineData("example.com:\n  api: &s { us: down }\n  www: *t\nother.example.com: { us: down }\n", 3)]
    public void AdminStateBreakage_IsOneProblemAtItsLine(string text, int line)
    {
        var (file, problems) = AdminStateReader.ReadText(text, "admin-state.yaml");

        Assert.Null(file);
        var problem = Assert.Single(problems);
        Assert.Equal(line, problem.Location.Line);
        Assert.Contains("YAML syntax error", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeepNesting_IsAProblemNotAStackOverflow()
    {
        var text = "services: " + new string('[', 10_000) + new string(']', 10_000) + "\n";
        var problem = Assert.Single(PolicyText.Problems(text));
        Assert.Contains("nested deeper than", problem, StringComparison.Ordinal);
    }
}
