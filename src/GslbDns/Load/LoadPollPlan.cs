using GslbDns.Steering.Policy;
using GslbDns.Steering.State;
using GslbDns.Zones;

namespace GslbDns.Load;

/// <summary>
/// A poller's identity: the region and what it polls. A reload that leaves both alone keeps the
/// poller (no extra poll, no reset of its ok/failing state).
/// </summary>
public readonly record struct LoadPollKey(RegionKey Region, string Spec);

/// <summary>One region whose load the server fetches itself.</summary>
/// <param name="ReportTtl">The service's <c>load.report-ttl</c>.</param>
public sealed record LoadPoll(RegionKey Region, LoadPullSpec Spec, TimeSpan ReportTtl)
{
    public LoadPollKey Key => new(Region, Spec.ToString());

    /// <summary>
    /// How long a pulled report counts when the source names no ttl: the report-ttl, but at least three
    /// intervals, so one failed or late poll does not drop the region's load between two good ones.
    /// </summary>
    public TimeSpan Ttl => TimeSpan.FromTicks(Math.Max(ReportTtl.Ticks, 3 * Spec.Interval.Ticks));

    /// <summary>Where reports say they come from: <c>pull URL</c> or <c>agent host:port</c>.</summary>
    public string Source => Spec.Url is { } url ? "pull " + url.OriginalString : "agent " + Spec.Agent;
}

/// <summary>Derives the regions to poll from the zone set being served: every region with a <c>load: { pull | agent }</c> block.</summary>
public static class LoadPollPlan
{
    public static IReadOnlyDictionary<LoadPollKey, LoadPoll> From(ZoneSet zones)
    {
        var polls = new Dictionary<LoadPollKey, LoadPoll>();
        foreach (var served in zones.Zones)
        {
            if (served.Steering is not { } steering) continue;
            foreach (var service in steering.Services)
            {
                foreach (var region in service.Policy.Regions)
                {
                    if (region.LoadSource is not { } spec) continue;
                    var poll = new LoadPoll(new RegionKey(service.Policy.Name, region.Name), spec, service.Policy.Load.ReportTtl);
                    polls[poll.Key] = poll;
                }
            }
        }
        return polls;
    }
}
