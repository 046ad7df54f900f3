using GslbDns.Health;
using GslbDns.Steering.Policy;

namespace GslbDns.Steering.State;

/// <summary>A region of a service, by name: how run-time state is keyed so it outlives reloads.</summary>
public readonly record struct RegionKey(DnsName Service, string Region)
{
    public override string ToString() => $"{Service}/{Region}";
}

/// <summary>One address of a region's target, by name (IPv4 as ::ffff:a.b.c.d).</summary>
public readonly record struct AddressKey(DnsName Service, string Region, UInt128 Address)
{
    public RegionKey RegionKey => new(Service, Region);

    /// <summary>The address as text (dotted quad for IPv4).</summary>
    public string AddressText()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(bytes, Address);
        return ((Address >> 32) == 0xffff ? new System.Net.IPAddress(bytes[12..]) : new System.Net.IPAddress(bytes)).ToString();
    }
}

/// <summary>
/// The one owner of run-time region state: health verdicts per address, load reports, operator
/// overrides (the admin file and API drains) and answer counters per region, keyed by service, region
/// and address names, so they survive every reload of zones and policies. Each compiled policy attaches to it and gets a <see cref="PublishedRegionState"/>
/// indexed the way its own document is; every change rebuilds those immutable tables off the query
/// path and publishes each with one reference write. Every change it applies is also written to
/// <see cref="Changes"/>, the history the status page shows.
/// </summary>
public sealed class RegionStateStore : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ITimer _expiry;
    private readonly Dictionary<AddressKey, HealthStatus> _health = [];
    private Dictionary<AddressKey, PeerVote[]> _peerVotes = [];
    private readonly Dictionary<DnsName, long> _degradedUntil = new(WireComparer.Instance);
    private readonly Dictionary<RegionKey, ReceivedLoad> _loads = [];
    private readonly Dictionary<RegionKey, AnswerCounter> _counters = [];
    private readonly ITimer _sampler;
    private Dictionary<RegionKey, AdminRegionState> _admin = [];
    private HashSet<RegionKey> _apiDrains = [];
    private readonly HashSet<RegionKey> _pulledDrains = [];
    private readonly Dictionary<RegionKey, bool> _shedding = [];
    private List<Attachment> _attached = [];

    public RegionStateStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _expiry = _time.CreateTimer(_ => Rebuild(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var every = TimeSpan.FromSeconds(SampleSeconds);
        _sampler = _time.CreateTimer(_ => SampleCounters(), null, every, every);
    }

    /// <summary>
    /// Attaches a compiled policy. <paramref name="addresses"/> holds, per [service][region], the
    /// addresses of the region's target as the zone gives them.
    /// </summary>
    /// <param name="sets">Per [service][region], the A/AAAA RRsets answers may carry for the region (the zone's and the service-TTL copies), filtered here by health.</param>
    public PublishedRegionState Attach(PolicyDocument document, UInt128[][][] addresses, Zones.RRSet[][][]? sets = null)
    {
        lock (_gate)
        {
            var attachment = new Attachment(document, addresses, sets);
            long now = _time.GetTimestamp();
            attachment.State = new PublishedRegionState(Build(attachment, now));
            _attached.Add(attachment);
            ScheduleExpiry(now);
            return attachment.State;
        }
    }

    /// <summary>Detaches every policy whose state is not among <paramref name="served"/> (after a reload replaced them).</summary>
    public void Retain(IEnumerable<IRegionStateSource> served)
    {
        var keep = served.ToHashSet(ReferenceEqualityComparer.Instance);
        lock (_gate)
        {
            _attached = _attached.Where(a => keep.Contains(a.State)).ToList();
            var names = _attached.SelectMany(a => a.Document.Services.Select(s => s.Name)).ToHashSet(WireComparer.Instance);
            foreach (var service in _degradedUntil.Keys.Where(n => !names.Contains(n)).ToArray()) _degradedUntil.Remove(service);
            var regions = _attached.SelectMany(a => a.Document.Services.SelectMany(s => s.Regions.Select(r => new RegionKey(s.Name, r.Name)))).ToHashSet();
            // A region removed from the policy drops its report and its counter; a drain stays (the operator's word).
            foreach (var key in _loads.Keys.Where(k => !regions.Contains(k)).ToArray()) _loads.Remove(key);
            foreach (var key in _shedding.Keys.Where(k => !regions.Contains(k)).ToArray()) _shedding.Remove(key);
            foreach (var key in _counters.Keys.Where(k => !regions.Contains(k) && !(k.Region == ServiceWide && names.Contains(k.Service))).ToArray()) _counters.Remove(key);
        }
    }

    /// <summary>The latest changes of health, drains, admin-file entries and load shedding.</summary>
    public StateChangeLog Changes { get; } = new();

    /// <summary>The policies attached now (what is served).</summary>
    public IReadOnlyList<(PolicyDocument Document, PublishedRegionState State)> Attached
    {
        get
        {
            lock (_gate) return _attached.Select(a => (a.Document, a.State)).ToArray();
        }
    }

    /// <summary>Replaces the operator overrides of <c>admin-state.yaml</c>.</summary>
    public void SetAdmin(IReadOnlyDictionary<RegionKey, AdminRegionState> overrides)
    {
        lock (_gate)
        {
            var next = new Dictionary<RegionKey, AdminRegionState>(overrides);
            foreach (var key in _admin.Keys.Union(next.Keys).OrderBy(k => k.ToString(), StringComparer.Ordinal))
            {
                AdminRegionState before = _admin.GetValueOrDefault(key), after = next.GetValueOrDefault(key);
                if (before != after) Record(StateChangeKind.AdminFile, key, null, Lower(before), Lower(after), "admin-state.yaml");
            }
            _admin = next;
            RebuildLocked();
        }
    }

    /// <summary>Replaces the drains set over the API (persisted by their owner); they combine with the file's.</summary>
    /// <param name="by">Who changed them (a token name, or the drains file at start), for <see cref="Changes"/>.</param>
    public void SetApiDrains(IEnumerable<RegionKey> drains, string? by = null)
    {
        lock (_gate)
        {
            var next = drains.ToHashSet();
            foreach (var key in next.Except(_apiDrains).OrderBy(k => k.ToString(), StringComparer.Ordinal)) Record(StateChangeKind.ApiDrain, key, null, "active", "drained", by);
            foreach (var key in _apiDrains.Except(next).OrderBy(k => k.ToString(), StringComparer.Ordinal)) Record(StateChangeKind.ApiDrain, key, null, "drained", "active", by);
            _apiDrains = next;
            RebuildLocked();
        }
    }

    /// <summary>
    /// Sets or clears the drain a region's own load balancer asked for through its pulled load source
    /// (an HAProxy agent answering <c>drain</c>, <c>maint</c> or <c>down</c>). It combines with the file's
    /// and the API's drains like an API drain, and is not persisted: the poller that set it says it again.
    /// </summary>
    public void SetPulledDrain(RegionKey region, bool drained)
    {
        lock (_gate)
        {
            bool changed = drained ? _pulledDrains.Add(region) : _pulledDrains.Remove(region);
            if (!changed) return;
            Record(StateChangeKind.AgentDrain, region, null, drained ? "active" : "drained", drained ? "drained" : "active", "agent check");
            RebuildLocked(region.Service);
        }
    }

    /// <summary>Whether the region's load balancer asked for a drain through its pulled load source.</summary>
    public bool PulledDrainOf(RegionKey region)
    {
        lock (_gate) return _pulledDrains.Contains(region);
    }

    /// <summary>The override in force: the file's down wins, then any source's drain (file, API or pulled).</summary>
    public AdminRegionState AdminOf(RegionKey region)
    {
        lock (_gate) return CombinedAdmin(region);
    }

    /// <summary>Where the override of <paramref name="region"/> comes from.</summary>
    public (AdminRegionState File, bool ApiDrain) AdminSourcesOf(RegionKey region)
    {
        lock (_gate) return (_admin.GetValueOrDefault(region), _apiDrains.Contains(region));
    }

    private AdminRegionState CombinedAdmin(RegionKey region)
    {
        var file = _admin.GetValueOrDefault(region);
        return file == AdminRegionState.Active && (_apiDrains.Contains(region) || _pulledDrains.Contains(region)) ? AdminRegionState.Drain : file;
    }

    /// <summary>
    /// The served region called <paramref name="region"/> of the steered name <paramref name="service"/>
    /// (names compare case-insensitively), with its key as the policy spells it; null when no attached
    /// policy has it.
    /// </summary>
    public (RegionKey Key, ServicePolicy Service, RegionConfig Region)? FindRegion(DnsName service, string region)
    {
        lock (_gate)
        {
            foreach (var attachment in _attached)
            {
                foreach (var policy in attachment.Document.Services)
                {
                    if (!WireComparer.Instance.Equals(policy.Name, service)) continue;
                    int index = policy.RegionIndex(region);
                    if (index >= 0) return (new RegionKey(policy.Name, policy.Regions[index].Name), policy, policy.Regions[index]);
                }
            }
            return null;
        }
    }

    /// <summary>
    /// Applies a load report for a region: it counts until <paramref name="ttl"/> has passed, then the
    /// region's load is unknown again (idle, at its policy weight; never down).
    /// </summary>
    public void SetLoad(RegionKey region, LoadReport report, TimeSpan ttl, string source)
    {
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            _loads[region] = new ReceivedLoad(report, _time.GetUtcNow(), now + (long)(ttl.TotalSeconds * _time.TimestampFrequency), source);
            RebuildLocked(region.Service);
        }
    }

    /// <summary>The latest report of <paramref name="region"/> (also one that has expired), and whether it is still valid.</summary>
    public (ReceivedLoad Load, bool Valid)? LoadOf(RegionKey region)
    {
        lock (_gate)
        {
            if (!_loads.TryGetValue(region, out var load)) return null;
            return (load, load.ExpiresAt > _time.GetTimestamp());
        }
    }

    /// <summary>Answers steered to <paramref name="region"/> over the last minute.</summary>
    public long RecentAnswers(RegionKey region)
    {
        lock (_gate) return _counters.TryGetValue(region, out var counter) ? counter.Recent : 0;
    }

    /// <summary>Answers steered to <paramref name="region"/> in each of the last <see cref="AnswerCounter.SeriesLength"/> sampling intervals, oldest first.</summary>
    public long[] AnswerSeries(RegionKey region)
    {
        AnswerCounter? counter;
        lock (_gate) _counters.TryGetValue(region, out counter);
        return counter?.Series() ?? new long[AnswerCounter.SeriesLength];
    }

    /// <summary>Seconds between two answer samples: the length of one interval of <see cref="AnswerSeries"/>.</summary>
    public static double SampleSeconds => 60.0 / AnswerCounter.Samples;

    /// <summary>The region name under which a service's all-down answers are counted (no region has an empty name).</summary>
    public const string ServiceWide = "";

    /// <summary>
    /// Steering decisions counted since start, by region (<see cref="ServiceWide"/> for all-down answers)
    /// and reason, for the metrics; counts only grow while the region stays in a policy.
    /// </summary>
    public IReadOnlyList<(RegionKey Region, SteeringReason Reason, long Count)> DecisionCounts()
    {
        KeyValuePair<RegionKey, AnswerCounter>[] counters;
        lock (_gate) counters = _counters.ToArray();
        var counts = new List<(RegionKey, SteeringReason, long)>();
        foreach (var (key, counter) in counters)
        {
            foreach (var reason in SteeringReasons.Decisions)
            {
                bool serviceWide = reason is SteeringReason.AllDownServFail or SteeringReason.AllDownNoData;
                if (serviceWide == (key.Region == ServiceWide)) counts.Add((key, reason, counter.Count(reason)));
            }
        }
        return counts;
    }

    private AnswerCounter CounterFor(RegionKey key)
    {
        if (!_counters.TryGetValue(key, out var counter)) _counters[key] = counter = new AnswerCounter();
        return counter;
    }

    private void SampleCounters()
    {
        AnswerCounter[] counters;
        lock (_gate) counters = _counters.Values.ToArray();
        foreach (var counter in counters) counter.Sample();
    }

    /// <summary>
    /// Applies health verdicts (several at once, so one probe of a shared health endpoint changes
    /// all the addresses it stands for in one table). <paramref name="hold"/> is how long the
    /// service counts as recently changed (fall × interval), which shortens its answers' TTL.
    /// </summary>
    /// <param name="reason">What made the verdicts change (the probe result), for <see cref="Changes"/>.</param>
    public void SetHealth(IReadOnlyList<(AddressKey Key, HealthStatus Health)> verdicts, TimeSpan hold, string? reason = null)
    {
        lock (_gate)
        {
            bool changed = false;
            foreach (var (key, health) in verdicts)
            {
                if (_health.TryGetValue(key, out var old) && old == health) continue;
                bool first = !_health.ContainsKey(key);
                _health[key] = health;
                changed = true;
                if (!first) Record(StateChangeKind.Health, key.RegionKey, key.AddressText(), Lower(old), Lower(health), reason);
                // The first verdict of a new address is its initial state, not a change.
                if (!first && hold > TimeSpan.Zero)
                {
                    long until = _time.GetTimestamp() + (long)(hold.TotalSeconds * _time.TimestampFrequency);
                    _degradedUntil[key.Service] = Math.Max(_degradedUntil.GetValueOrDefault(key.Service), until);
                }
            }
            if (changed) RebuildHealthLocked();
        }
        OwnHealthChanged?.Invoke();
    }

    /// <summary>
    /// Raised (outside the store's lock, off the query path) after this instance's own verdicts
    /// changed, for whoever shares them with other instances.
    /// </summary>
    public event Action? OwnHealthChanged;

    /// <summary>This instance's own verdicts, every checked address.</summary>
    public IReadOnlyList<(AddressKey Key, HealthStatus Health)> OwnHealth()
    {
        lock (_gate) return _health.Select(p => (p.Key, p.Value)).ToArray();
    }

    /// <summary>
    /// Replaces the other instances' verdicts (clustered: what each live instance's checks see). Each
    /// address's verdict for steering is then its region's <c>agree</c> rule over these and this
    /// instance's own; an empty set (alone, or the shared store stale) leaves the own verdicts alone.
    /// </summary>
    public void SetPeerVotes(IReadOnlyDictionary<AddressKey, PeerVote[]> votes)
    {
        lock (_gate)
        {
            var next = new Dictionary<AddressKey, PeerVote[]>(votes);
            if (next.Count == _peerVotes.Count && next.All(p => _peerVotes.TryGetValue(p.Key, out var old) && old.AsSpan().SequenceEqual(p.Value))) return;
            _peerVotes = next;
            RebuildHealthLocked();
        }
    }

    /// <summary>The other instances' verdicts on <paramref name="key"/> (none alone or while the shared store is stale).</summary>
    public PeerVote[] PeerVotesOf(AddressKey key)
    {
        lock (_gate) return _peerVotes.GetValueOrDefault(key) ?? [];
    }

    /// <summary>Forgets verdicts of addresses no longer checked (removed from the zone or the policy).</summary>
    public void ForgetHealth(IEnumerable<AddressKey> keys)
    {
        lock (_gate)
        {
            bool changed = false;
            foreach (var key in keys) changed |= _health.Remove(key);
            if (changed) RebuildHealthLocked();
        }
        OwnHealthChanged?.Invoke();
    }

    public HealthStatus HealthOf(AddressKey key)
    {
        lock (_gate) return _health.GetValueOrDefault(key);
    }

    private void Rebuild()
    {
        lock (_gate) RebuildLocked();
    }

    private void RebuildHealthLocked()
    {
        foreach (var attachment in _attached) attachment.Health = null;
        RebuildLocked();
    }

    /// <summary>Rebuilds the tables of every policy (or only of those steering <paramref name="service"/>).</summary>
    private void RebuildLocked(DnsName? service = null)
    {
        // One clock reading for the tables and the next expiry: with two, a report that expires
        // between them would count in the tables yet be past the schedule, and stay in the answers
        // until something else changed. (The timer's clock is coarser than the timestamp's, so it can
        // fire a few milliseconds before the expiry it was set for; this build then sets it again.)
        long now = _time.GetTimestamp();
        foreach (var attachment in _attached)
        {
            if (service is { } only && !attachment.Document.Services.Any(s => s.Name.Equals(only))) continue;
            attachment.State.Publish(Build(attachment, now));
        }
        ScheduleExpiry(now);
    }

    /// <summary>Sets the timer for the first degradation hold or load report that the tables built at <paramref name="now"/> still count.</summary>
    private void ScheduleExpiry(long now)
    {
        long next = long.MaxValue;
        foreach (var until in _degradedUntil.Values)
        {
            if (until > now && until < next) next = until;
        }
        foreach (var load in _loads.Values)
        {
            if (load.ExpiresAt > now && load.ExpiresAt < next) next = load.ExpiresAt;
        }
        _expiry.Change(next == long.MaxValue ? Timeout.InfiniteTimeSpan : _time.GetElapsedTime(now, next) + TimeSpan.FromMilliseconds(1),
            Timeout.InfiniteTimeSpan);
    }

    private RegionStateTable Build(Attachment attachment, long now)
    {
        // Health is the costly part (filtered RRsets); load reports and drains arrive far more often
        // and reuse it until a verdict changes.
        var health = attachment.Health ??= BuildHealth(attachment);
        var services = attachment.Document.Services;
        var regions = new RegionStatus[services.Length][];
        var degraded = new bool[services.Length];
        for (int s = 0; s < services.Length; s++)
        {
            var service = services[s];
            regions[s] = new RegionStatus[service.Regions.Length];
            degraded[s] = health.AnyDown[s] || (_degradedUntil.TryGetValue(service.Name, out long until) && until > now);
            for (int r = 0; r < service.Regions.Length; r++)
            {
                var region = service.Regions[r];
                var regionKey = new RegionKey(service.Name, region.Name);
                regions[s][r] = WithLoad(new RegionStatus(CombinedAdmin(regionKey), health.Regions[s][r]), service, region, regionKey, now);
                NoteShedding(regionKey, regions[s][r]);
            }
        }
        return new RegionStateTable(regions, health.Addresses, degraded, health.Filtered, health.Counters);
    }

    private HealthPart BuildHealth(Attachment attachment)
    {
        var services = attachment.Document.Services;
        var regionHealth = new HealthStatus[services.Length][];
        var anyDown = new bool[services.Length];
        var addresses = new AddressHealth[services.Length][][];
        var filtered = new (Zones.RRSet, Zones.RRSet)[services.Length][][];
        var counters = new AnswerCounter[services.Length][];
        for (int s = 0; s < services.Length; s++)
        {
            var service = services[s];
            regionHealth[s] = new HealthStatus[service.Regions.Length];
            addresses[s] = new AddressHealth[service.Regions.Length][];
            filtered[s] = new (Zones.RRSet, Zones.RRSet)[service.Regions.Length][];
            counters[s] = new AnswerCounter[service.Regions.Length + 1];
            counters[s][service.Regions.Length] = CounterFor(new RegionKey(service.Name, ServiceWide));
            for (int r = 0; r < service.Regions.Length; r++)
            {
                var region = service.Regions[r];
                var list = attachment.Addresses[s][r];
                var healths = new AddressHealth[list.Length];
                var statuses = new HealthStatus[list.Length];
                for (int i = 0; i < list.Length; i++)
                {
                    var key = new AddressKey(service.Name, region.Name, list[i]);
                    // Not checked: up. Checked but no verdict yet: what the check starts as.
                    var health = region.Health.Kind == CheckKind.None ? HealthStatus.Up
                        : _health.TryGetValue(key, out var known) ? known : region.Health.Initial;
                    // Clustered: the other instances' verdicts count by the region's agree rule.
                    if (region.Health.Kind != CheckKind.None && _peerVotes.TryGetValue(key, out var peers)) health = region.Health.Agree.Decide(health, peers);
                    healths[i] = new AddressHealth(list[i], health);
                    statuses[i] = health;
                }
                regionHealth[s][r] = RegionStatus.Aggregate(statuses);
                if (regionHealth[s][r] == HealthStatus.Down) anyDown[s] = true;
                addresses[s][r] = healths;
                var candidates = attachment.Sets?[s][r] ?? [];
                filtered[s][r] = candidates.Select(set => (set, AddressFilter.Without(set, a => Array.Find(healths, h => h.Address == a).Health))).ToArray();
                counters[s][r] = CounterFor(new RegionKey(service.Name, region.Name));
            }
        }
        return new HealthPart(regionHealth, anyDown, addresses, filtered, counters);
    }

    /// <summary>Records a region starting or stopping to shed (the first table of a region that is not shedding is no change).</summary>
    private void NoteShedding(RegionKey key, RegionStatus status)
    {
        bool shedding = status.ShedShare > 0;
        bool known = _shedding.TryGetValue(key, out bool before);
        if (known ? before == shedding : !shedding)
        {
            _shedding[key] = shedding;
            return;
        }
        _shedding[key] = shedding;
        string load = status.HasLoad ? $"load {status.Load.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}" : "no valid load report";
        Record(StateChangeKind.Shedding, key, null, shedding ? "none" : "shedding", shedding
            ? $"shedding {(status.ShedShare * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture)}%" : "none", load);
    }

    private void Record(StateChangeKind kind, RegionKey region, string? address, string from, string to, string? detail) =>
        Changes.Add(_time.GetUtcNow(), kind, region, address, from, to, detail);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>The status with the region's valid load report (if any) worked out for the chooser.</summary>
    private RegionStatus WithLoad(RegionStatus status, ServicePolicy service, RegionConfig region, RegionKey key, long now)
    {
        if (!_loads.TryGetValue(key, out var received) || received.ExpiresAt <= now) return status;
        double load = received.Report.Ratio(region.Capacity);
        if (double.IsNaN(load)) return status;
        double free = Math.Max(0, 1 - load);
        double spare = received.Report.EffectiveCapacity(region.Capacity) is { } capacity ? capacity * free : region.Weight * free;
        return status with { Load = load, ShedShare = service.Load.ShedShare(load), Spare = spare };
    }

    public void Dispose()
    {
        _expiry.Dispose();
        _sampler.Dispose();
    }

    private sealed class Attachment(PolicyDocument document, UInt128[][][] addresses, Zones.RRSet[][][]? sets)
    {
        public PolicyDocument Document { get; } = document;
        public UInt128[][][] Addresses { get; } = addresses;
        public Zones.RRSet[][][]? Sets { get; } = sets;
        public PublishedRegionState State { get; set; } = null!;

        /// <summary>The health half of the table, kept until a verdict changes.</summary>
        public HealthPart? Health { get; set; }
    }

    /// <summary>Everything in a table that only health verdicts change, [service][region].</summary>
    private sealed record HealthPart(HealthStatus[][] Regions, bool[] AnyDown, AddressHealth[][][] Addresses,
        (Zones.RRSet From, Zones.RRSet To)[][][] Filtered, AnswerCounter[][] Counters);
}
