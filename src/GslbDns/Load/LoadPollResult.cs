using GslbDns.Steering.State;

namespace GslbDns.Load;

/// <summary>
/// What one poll of a region's load source gave: a failure (nothing is sent; the last report expires
/// after its ttl), or a report and/or an agent's state word.
/// </summary>
/// <param name="Failure">Why the poll failed; null when it succeeded.</param>
/// <param name="Report">The load to report; null when the source said none (an agent's bare <c>drain</c>).</param>
/// <param name="Ttl">How long the report counts when the source said so (the JSON's <c>ttl</c>).</param>
/// <param name="Agent">An agent's reply, for its state word.</param>
public sealed record LoadPollResult(string? Failure, LoadReport? Report = null, TimeSpan? Ttl = null, AgentReply? Agent = null)
{
    public bool Ok => Failure is null;

    public static LoadPollResult Fail(string why) => new(why);

    public static LoadPollResult Of(LoadReport report, TimeSpan? ttl = null) => new(null, report, ttl);
}
