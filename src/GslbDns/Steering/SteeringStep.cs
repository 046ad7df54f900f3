using GslbDns.Observability;
using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Steering.Choice;
using GslbDns.Steering.Policy;
using GslbDns.Zones;
using Microsoft.Extensions.Logging;

namespace GslbDns.Steering;

/// <summary>
/// The step between zone look-up and answer: for a steered name, picks the client's region and
/// fills the answer with that region's records. One implementation serves queries and explain.
/// </summary>
public sealed class SteeringStep
{
    private static readonly long FailOpenLogInterval = TimeSpan.FromSeconds(10).Ticks;

    private readonly ILogger<SteeringStep> _logger;
    private long _lastFailOpenLog = long.MinValue;

    public SteeringStep(ILogger<SteeringStep> logger)
    {
        _logger = logger;
    }

    /// <summary>Returns false when the name is not steered, so the plain zone look-up answers it.</summary>
    public bool TrySteer(ServedZone served, ref DnsQuery query, in RequestContext context, bool minimalAny,
        ref LookupResult result, ref SteeringResult steering, SteeringTrace? trace)
    {
        var zoneSteering = served.Steering;
        if (zoneSteering is null) return false;
        var zone = served.Zone;
        var qname = query.QName;

        var service = zoneSteering.FindService(qname);
        if (service is null)
        {
            if (!zoneSteering.TryFindTarget(qname, out var owner, out int targetRegion)) return false;
            // A region's LB name asked directly: its addresses, filtered by health like a steered answer.
            if (trace is not null)
            {
                trace.Service = owner;
                trace.TargetRegion = targetRegion;
            }
            ZoneLookup.Lookup(zone, qname, query.QType, minimalAny, ref result);
            FilterTargetAddresses(zoneSteering, owner, targetRegion, ref result);
            CapTtl(zoneSteering, owner, ref result);
            steering.Steered = true;
            return true;
        }

        if (service.AnswersAddresses && query.QType is not (RecordType.A or RecordType.AAAA or RecordType.ANY))
        {
            // Other types at an address-steered name come from the zone; the name exists either way.
            ZoneLookup.Lookup(zone, qname, query.QType, minimalAny, ref result);
            if (result.Kind == LookupKind.NameError) result.Kind = LookupKind.NoData;
            steering.Steered = true;
            return true;
        }

        var choice = Decide(zoneSteering, service, ref query, context, ref steering, trace);
        steering.Steered = true;
        steering.Service = service;
        steering.Region = choice.Kind == ChoiceKind.Region ? choice.Region : -1;
        steering.Reason = ReasonOf(choice);
        if (trace is null) zoneSteering.State.CountAnswer(service.Policy.Index, steering.Region, steering.Reason);
        result.Zone = zone;
        result.Count = 0;
        result.Delegation = null;
        result.Kind = LookupKind.Answer;
        switch (choice.Kind)
        {
            case ChoiceKind.ServFail:
                steering.ServerFailure = true;
                return true;
            case ChoiceKind.NoData:
                result.Kind = LookupKind.NoData;
                return true;
        }
        if (choice.FailedOpen) LogFailOpen(service);
        CapTtl(zoneSteering, service, ref result);

        var region = service.Regions[choice.Region];
        if (service.AnswersAddresses)
        {
            if (query.QType == RecordType.ANY && !minimalAny)
            {
                // ANY over TCP: every RRset of the name, the region's addresses in place of the zone's.
                AddZoneSetsBesideAddresses(zone, qname, ref result);
            }
            AddAddresses(zoneSteering, service, region, query.QType, minimalAny, ref result);
            return true;
        }
        result.Add(null, region.Cname);
        // RFC 1034 §4.3.2 step 3a: a CNAME at the name matches QTYPE=ANY and is not followed.
        if (query.QType is not (RecordType.CNAME or RecordType.ANY))
        {
            // The steering was compiled with this zone (a new zone recompiles it), so its target nodes are this zone's.
            if (region.TargetNode is { } node) ZoneLookup.ContinueAt(zone, qname, region.Target, node, query.QType, minimalAny, ref result);
            else ZoneLookup.Continue(zone, qname, region.Target, query.QType, minimalAny, ref result);
            FilterTargetAddresses(zoneSteering, service, region.Index, ref result);
        }
        return true;
    }

    private static SteeringReason ReasonOf(in RegionChoice choice) => choice.Kind switch
    {
        ChoiceKind.ServFail => SteeringReason.AllDownServFail,
        ChoiceKind.NoData => SteeringReason.AllDownNoData,
        _ when choice.FailedOpen => SteeringReason.FailOpen,
        _ when choice.IsShed => SteeringReason.Shed,
        _ when choice.Spilled || choice.Rank > 0 => SteeringReason.Spill,
        _ when choice.Split => SteeringReason.Weighted,
        _ => SteeringReason.Preferred,
    };

    private static RegionChoice Decide(ZoneSteering zoneSteering, SteeredService service, ref DnsQuery query,
        in RequestContext context, ref SteeringResult steering, SteeringTrace? trace)
    {
        ClientAddress client;
        var subnet = query.ClientSubnet;
        bool fromSubnet = subnet.Present;
        if (fromSubnet)
        {
            // RFC 7871 §7.1.2: SOURCE PREFIX-LENGTH 0 means the client asked that no address be used;
            // :: is in no database and reaches the default rule.
            client = subnet.SourcePrefix == 0 ? default : new ClientAddress(subnet.Address, subnet.Family == 1);
        }
        else
        {
            client = context.Client;
        }

        int leaf = service.Tree.Lookup(client, out int scope);
        var ranking = service.Rankings[leaf];
        ulong key = ClientNetworkKey.Of(client);
        RegionChoice choice;
        if (trace is null)
        {
            choice = RegionChooser.Choose(service.Policy, ranking, zoneSteering.State, key);
        }
        else
        {
            var (explained, verdicts) = RegionChooser.Explain(service.Policy, ranking, zoneSteering.State, key);
            choice = explained;
            trace.Service = service;
            trace.Client = client;
            trace.ClientKey = key;
            trace.ClientSource = fromSubnet
                ? $"ECS {client}/{subnet.SourcePrefix}"
                : "source address " + client;
            trace.Facts = service.Tree.LookupFacts(client);
            trace.TreeScope = scope;
            // The rule is not kept in the tree (leaves hold rankings); the same classifier names it.
            trace.Outcome = service.Classifier.Classify(ClientLocationAdapter.From(trace.Facts), client);
            trace.Choice = choice;
            trace.Verdicts = verdicts;
        }
        if (choice.DependsOnClientKey) scope = Math.Max(scope, ClientNetworkKey.ScopeFor(client));
        if (fromSubnet)
        {
            int familyBits = subnet.Family == 1 ? 32 : 128;
            steering.ScopePrefix = subnet.SourcePrefix == 0 ? (byte)0 : (byte)Math.Min(scope, familyBits);
            if (trace is not null) trace.ScopePrefix = steering.ScopePrefix;
        }
        return choice;
    }

    private static void AddAddresses(ZoneSteering zoneSteering, SteeredService service, SteeredRegion region,
        RecordType qtype, bool minimalAny, ref LookupResult result)
    {
        int index = service.Policy.Index;
        if (qtype is RecordType.A or RecordType.ANY && region.ServiceA is { } a)
        {
            result.Add(null, AddressFilter.Apply(a, zoneSteering.State, index, region.Index));
        }
        if ((qtype == RecordType.AAAA || (qtype == RecordType.ANY && (result.Count == 0 || !minimalAny))) && region.ServiceAaaa is { } aaaa)
        {
            result.Add(null, AddressFilter.Apply(aaaa, zoneSteering.State, index, region.Index));
        }
        if (result.Count == 0) result.Kind = LookupKind.NoData;
    }

    /// <summary>While the service is degraded its answers carry ttl-unhealthy, so resolvers ask again soon.</summary>
    private static void CapTtl(ZoneSteering zoneSteering, SteeredService service, ref LookupResult result)
    {
        if (!zoneSteering.State.IsDegraded(service.Policy.Index)) return;
        result.HasTtlCap = true;
        result.TtlCap = service.Policy.TtlUnhealthy;
    }

    private static void AddZoneSetsBesideAddresses(CompiledZone zone, ReadOnlySpan<byte> qname, ref LookupResult result)
    {
        var node = ZoneLookup.FindClosest(zone, qname, out bool exact);
        if (!exact) return;
        foreach (var set in node.Sets)
        {
            // Two places stay free for the region's A and AAAA.
            if (set.Type is RecordType.A or RecordType.AAAA || result.Count >= LookupResult.MaxChain - 2) continue;
            result.Add(null, set);
        }
    }

    private static void FilterTargetAddresses(ZoneSteering zoneSteering, SteeredService service, int region, ref LookupResult result)
    {
        var target = service.Regions[region].Target;
        for (int i = 0; i < result.Count; i++)
        {
            // A null owner is the query name, which here can only be the target itself.
            if (result.Owners[i] is { } owner && !owner.Equals(target)) continue;
            ref var set = ref result.Sets[i];
            set = AddressFilter.Apply(set, zoneSteering.State, service.Policy.Index, region);
        }
    }

    private void LogFailOpen(SteeredService service)
    {
        long now = DateTime.UtcNow.Ticks;
        long last = Interlocked.Read(ref _lastFailOpenLog);
        if (now - last < FailOpenLogInterval) return;
        if (Interlocked.CompareExchange(ref _lastFailOpenLog, now, last) != last) return;
        Log.SteeringFailedOpen(_logger, service.Policy.Name.ToString());
    }
}
