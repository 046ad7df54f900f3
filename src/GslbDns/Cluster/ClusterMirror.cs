using GslbDns.Health;
using GslbDns.Steering.State;
using Mvccpb;

namespace GslbDns.Cluster;

/// <summary>What changed in the mirror with one batch of keys.</summary>
[Flags]
public enum MirrorChange
{
    None = 0,
    Load = 1,
    Drains = 2,
    Health = 4,
    Members = 8,
}

/// <summary>
/// This instance's copy of everything under the prefix, as the last range and the watch events after
/// it say: load reports, drains, every instance's health votes and the members. Only the watcher
/// changes it (one thread); readers get copies.
/// </summary>
public sealed class ClusterMirror(ClusterKeys keys)
{
    private readonly object _gate = new();
    private readonly Dictionary<RegionKey, LoadRecord> _loads = [];
    private readonly Dictionary<RegionKey, DrainRecord> _drains = [];
    private readonly Dictionary<string, Dictionary<AddressKey, HealthStatus>> _votes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberRecord> _members = new(StringComparer.Ordinal);

    /// <summary>The revision the mirror is at.</summary>
    public long Revision { get; private set; }

    /// <summary>Replaces everything with a full read at <paramref name="revision"/>; returns the load reports read, for applying.</summary>
    public (MirrorChange Change, List<(RegionKey Region, LoadRecord Load)> Loads) Reset(IEnumerable<KeyValue> pairs, long revision)
    {
        lock (_gate)
        {
            _loads.Clear();
            _drains.Clear();
            _votes.Clear();
            _members.Clear();
            var loads = new List<(RegionKey, LoadRecord)>();
            foreach (var pair in pairs)
            {
                if (PutLocked(pair) is { } load) loads.Add(load);
            }
            Revision = revision;
            return (MirrorChange.Load | MirrorChange.Drains | MirrorChange.Health | MirrorChange.Members, loads);
        }
    }

    /// <summary>Applies watch events; returns what changed and the load reports put, for applying.</summary>
    public (MirrorChange Change, List<(RegionKey Region, LoadRecord Load)> Loads) Apply(IEnumerable<Event> events, long revision)
    {
        lock (_gate)
        {
            var change = MirrorChange.None;
            var loads = new List<(RegionKey, LoadRecord)>();
            foreach (var e in events)
            {
                var key = keys.Parse(e.Kv.Key.ToStringUtf8());
                change |= key.Kind switch
                {
                    ClusterKeyKind.Load => MirrorChange.Load,
                    ClusterKeyKind.Drain => MirrorChange.Drains,
                    ClusterKeyKind.Health => MirrorChange.Health,
                    ClusterKeyKind.Member => MirrorChange.Members,
                    _ => MirrorChange.None,
                };
                if (e.Type == Event.Types.EventType.Put)
                {
                    if (PutLocked(e.Kv) is { } load) loads.Add(load);
                }
                else
                {
                    DeleteLocked(key);
                }
            }
            Revision = Math.Max(Revision, revision);
            return (change, loads);
        }
    }

    public IReadOnlyList<DrainRecord> Drains()
    {
        lock (_gate) return _drains.Values.ToArray();
    }

    public IReadOnlyList<MemberRecord> Members()
    {
        lock (_gate) return _members.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every other instance's votes, by address (the addresses as the keys name them).</summary>
    public Dictionary<AddressKey, List<PeerVote>> PeerVotes(string self)
    {
        lock (_gate)
        {
            var votes = new Dictionary<AddressKey, List<PeerVote>>();
            foreach (var (instance, verdicts) in _votes)
            {
                if (instance == self) continue;
                foreach (var (address, status) in verdicts)
                {
                    if (!votes.TryGetValue(address, out var list)) votes[address] = list = [];
                    list.Add(new PeerVote(instance, status));
                }
            }
            return votes;
        }
    }

    private (RegionKey, LoadRecord)? PutLocked(KeyValue pair)
    {
        var key = keys.Parse(pair.Key.ToStringUtf8());
        var value = pair.Value.Span;
        switch (key.Kind)
        {
            case ClusterKeyKind.Load when ClusterJsonContext.TryRead(value, ClusterJsonContext.Default.LoadRecord) is { } load:
                _loads[key.Region] = load;
                return (key.Region, load);
            case ClusterKeyKind.Drain when ClusterJsonContext.TryRead(value, ClusterJsonContext.Default.DrainRecord) is { } drain:
                _drains[key.Region] = drain with { Service = key.Region.Service.ToString().TrimEnd('.'), Region = key.Region.Region };
                break;
            case ClusterKeyKind.Health when ParseStatus(pair.Value.ToStringUtf8()) is { } status:
                if (!_votes.TryGetValue(key.Instance!, out var verdicts)) _votes[key.Instance!] = verdicts = [];
                verdicts[new AddressKey(key.Region.Service, key.Region.Region, key.Address!.Value)] = status;
                break;
            case ClusterKeyKind.Member when ClusterJsonContext.TryRead(value, ClusterJsonContext.Default.MemberRecord) is { } member:
                _members[key.Instance!] = member;
                break;
        }
        return null;
    }

    private void DeleteLocked(ClusterKey key)
    {
        switch (key.Kind)
        {
            case ClusterKeyKind.Load:
                _loads.Remove(key.Region);
                break;
            case ClusterKeyKind.Drain:
                _drains.Remove(key.Region);
                break;
            case ClusterKeyKind.Health when _votes.TryGetValue(key.Instance!, out var verdicts):
                verdicts.Remove(new AddressKey(key.Region.Service, key.Region.Region, key.Address!.Value));
                if (verdicts.Count == 0) _votes.Remove(key.Instance!);
                break;
            case ClusterKeyKind.Member:
                _members.Remove(key.Instance!);
                break;
        }
    }

    public static string StatusText(HealthStatus status) => status.ToString().ToLowerInvariant();

    private static HealthStatus? ParseStatus(string text) => text switch
    {
        "up" => HealthStatus.Up,
        "down" => HealthStatus.Down,
        "unknown" => HealthStatus.Unknown,
        _ => null,
    };
}
