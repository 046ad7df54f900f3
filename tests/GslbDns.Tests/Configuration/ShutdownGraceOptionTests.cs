using GslbDns.Configuration;

namespace GslbDns.Tests.Configuration;

public sealed class ShutdownGraceOptionTests
{
    [Fact]
    public void CommandLine_MapsShutdownGrace_ToTheServerSetting()
    {
        Assert.True(CommandLine.TryParse(["--shutdown-grace", "2s"], out var settings, out _));
        Assert.Equal("2s", settings["Server:ShutdownGrace"]);
        Assert.Contains("--shutdown-grace TIME", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5s", 5000)]
    [InlineData("500ms", 500)]
    [InlineData("10", 10_000)]
    [InlineData("0s", 0)]
    public void Valid_Grace_ReachesTheListeners(string text, int milliseconds)
    {
        var options = new ServerOptions { ShutdownGrace = text };
        Assert.Empty(ServerOptionsValidator.Validate(options));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ServerOptionsValidator.ToListenerOptions(options).ShutdownTimeout);
    }

    [Fact]
    public void Default_IsFiveSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), ServerOptionsValidator.ToListenerOptions(new ServerOptions()).ShutdownTimeout);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("10m")]
    [InlineData("")]
    public void Invalid_Grace_IsReported_WithAnExample(string text)
    {
        var problem = Assert.Single(ServerOptionsValidator.Validate(new ServerOptions { ShutdownGrace = text }));
        Assert.Equal($"ShutdownGrace '{text}' is not a duration from 0s to 5m (such as 5s or 500ms)", problem);
    }
}
