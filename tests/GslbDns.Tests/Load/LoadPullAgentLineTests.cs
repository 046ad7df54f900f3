using GslbDns.Load;

namespace GslbDns.Tests.Load;

/// <summary>The agent-check line mapping: percentage available → utilization, state words → drains.</summary>
public class LoadPullAgentLineTests
{
    [Theory]
    [InlineData("75%", 0.25, AgentState.None, null)]
    [InlineData("100%", 0.0, AgentState.None, null)]
    [InlineData("150%", 0.0, AgentState.None, null)]
    [InlineData("0%", 1.0, AgentState.None, null)]
    [InlineData("12.5%", 0.875, AgentState.None, null)]
    [InlineData("up 75%", 0.25, AgentState.Up, false)]
    [InlineData("ready,60%", 0.4, AgentState.Up, false)]
    [InlineData("drain", null, AgentState.Drain, true)]
    [InlineData("MAINT", null, AgentState.Drain, true)]
    [InlineData("down # disk full", null, AgentState.Down, true)]
    [InlineData("fail", null, AgentState.Down, true)]
    [InlineData("stopped", null, AgentState.Down, true)]
    [InlineData("50% maxconn:30 drain", 0.5, AgentState.Drain, true)]
    [InlineData("drain up", null, AgentState.Up, false)]
    [InlineData("  up  \t", null, AgentState.Up, false)]
    public void Maps(string line, double? utilization, AgentState state, bool? drained)
    {
        Assert.True(AgentLine.TryParse(line, out var reply, out var error), error);
        if (utilization is null) Assert.Null(reply.Utilization);
        else Assert.Equal(utilization.Value, reply.Utilization!.Value, 6);
        Assert.Equal(state, reply.State);
        Assert.Equal(drained, reply.Drained);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("maxconn:10")]
    [InlineData("x%")]
    public void Rejects(string line)
    {
        Assert.False(AgentLine.TryParse(line, out _, out var error));
        Assert.NotEmpty(error);
    }
}
