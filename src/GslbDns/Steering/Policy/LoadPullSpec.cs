namespace GslbDns.Steering.Policy;

/// <summary>
/// Where the server fetches a region's load itself, for load balancers that cannot push (region key
/// <c>load: { pull: URL }</c> or <c>load: { agent: host:port }</c>).
/// </summary>
/// <param name="Url">An HTTP(S) URL answering the report JSON or HAProxy's CSV stats; null for an agent.</param>
/// <param name="Agent">An HAProxy agent-check endpoint (host:port) answering one line such as <c>75%</c>, <c>drain</c> or <c>down</c>; null for a URL.</param>
/// <param name="Interval">Time between polls.</param>
/// <param name="Timeout">How long one poll may take; below the interval.</param>
/// <param name="Backend">For HAProxy CSV: the backend (pxname) to sum; null for every backend.</param>
public sealed record LoadPullSpec(Uri? Url, string? Agent, TimeSpan Interval, TimeSpan Timeout, string? Backend)
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    /// <summary>Identity for keeping a poller across reloads: the same spec polls on without a restart.</summary>
    public override string ToString() =>
        $"{(Url is not null ? "pull " + Url : "agent " + Agent)} every {Health.Durations.Format(Interval)}"
        + (Backend is null ? "" : $" backend {Backend}");
}
