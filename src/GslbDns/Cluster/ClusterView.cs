namespace GslbDns.Cluster;

/// <summary>
/// The cluster as <c>GET /api/v1/status</c> shows it: this instance, whether the shared store is
/// reachable, and every member with its last heartbeat.
/// </summary>
/// <param name="Store">up, down (unreachable, health votes still counted) or stale (unreachable past --cluster-stale-after: own health only).</param>
/// <param name="Endpoint">The etcd endpoint in use.</param>
/// <param name="Revision">The etcd revision the instance's copy is at.</param>
/// <param name="DownSince">When the store was lost; null while up.</param>
/// <param name="Problem">The last error seen while down.</param>
public sealed record ClusterView(
    string Instance,
    string Store,
    string Endpoint,
    long Revision,
    DateTimeOffset? DownSince,
    string? Problem,
    IReadOnlyList<MemberView> Members);

/// <param name="Api">The member's API address as it gives it.</param>
/// <param name="HeartbeatAgeSeconds">Seconds since its last heartbeat (as of the last copy seen).</param>
/// <param name="Self">This instance.</param>
public sealed record MemberView(string Name, string Version, string? Api, DateTimeOffset Heartbeat, double HeartbeatAgeSeconds, DateTimeOffset Started, bool Self);

public static class ClusterViews
{
    public static ClusterView Build(ClusterService cluster, DateTimeOffset now)
    {
        var reach = cluster.Reachability;
        string store = reach.Up ? "up" : reach.Stale ? "stale" : "down";
        var members = cluster.Mirror.Members().Select(m => new MemberView(m.Name, m.Version, m.Api, m.Heartbeat,
            Math.Round(Math.Max(0, (now - m.Heartbeat).TotalSeconds), 1), m.Started, m.Name == cluster.Settings.InstanceName)).ToArray();
        return new ClusterView(cluster.Settings.InstanceName, store, cluster.Connection.Endpoint.ToString().TrimEnd('/'), cluster.Mirror.Revision,
            reach.Up ? null : reach.DownSince, reach.Up ? null : reach.LastProblem, members);
    }
}
