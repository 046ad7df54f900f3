namespace GslbDns.Steering.State;

/// <summary>
/// The last <see cref="Capacity"/> changes of region state (health verdicts, drains, admin-file
/// entries, load shedding), newest last, for the status page and <c>GET /api/v1/changes</c>. Written
/// by the state store when it applies a change, never by the query path; older entries fall off.
/// </summary>
public sealed class StateChangeLog
{
    public const int Capacity = 200;

    private readonly StateChange?[] _ring = new StateChange?[Capacity];
    private readonly object _gate = new();
    private long _written;

    public void Add(DateTimeOffset time, StateChangeKind kind, RegionKey region, string? address, string from, string to, string? detail)
    {
        lock (_gate)
        {
            _ring[_written % Capacity] = new StateChange(_written + 1, time, kind, region, address, from, to, detail);
            _written++;
        }
    }

    /// <summary>Up to <paramref name="limit"/> of the latest changes, newest first.</summary>
    public IReadOnlyList<StateChange> Latest(int limit = Capacity)
    {
        lock (_gate)
        {
            int count = (int)Math.Min(Math.Min(_written, Capacity), Math.Max(0, limit));
            var result = new StateChange[count];
            for (int i = 0; i < count; i++) result[i] = _ring[(_written - 1 - i) % Capacity]!;
            return result;
        }
    }
}
