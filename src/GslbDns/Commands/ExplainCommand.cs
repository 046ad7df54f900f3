using GslbDns.Steering;
using GslbDns.Zones.Reading;
using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using GslbDns.Configuration;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Steering.Choice;
using GslbDns.Steering.Geo;
using GslbDns.Zones;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Commands;

/// <summary>
/// `gslbdns explain NAME`: loads the zones, policies and GeoIP databases as the server does, sends
/// one query through the real query path with a trace attached, and prints each step of the decision
/// and the exact reply.
/// </summary>
public static class ExplainCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (!ExplainRequest.TryParse(args, out var request, out var error))
        {
            stderr.WriteLine($"gslbdns explain: {error}");
            stderr.WriteLine(ExplainRequest.Usage);
            return 2;
        }
        if (!DnsName.TryParse(request.Name.EndsWith('.') ? request.Name : request.Name + ".", null, out var name, out error))
        {
            stderr.WriteLine($"gslbdns explain: {error}");
            return 2;
        }

        var store = new ZoneStore();
        using var geo = new GeoDatabaseWatcher(
            new GeoDatabaseSources(request.GeoIp.Count > 0 ? request.GeoIp : GeoDatabaseSources.Default.Paths),
            Directory.GetCurrentDirectory(), NullLogger<GeoDatabaseWatcher>.Instance);
        geo.Reload();
        using var state = new Steering.State.RegionStateStore();
        var loader = new ZoneCatalogLoader(store, state, request.Zones, () => geo.Current, NullLogger<ZoneCatalogLoader>.Instance);
        try
        {
            loader.LoadInitial();
        }
        catch (ZoneLoadException ex)
        {
            stderr.WriteLine($"gslbdns explain: {ex.Message}");
            foreach (var problem in ex.Problems) stderr.WriteLine(problem);
            return 1;
        }
        Api.HealthDocument health;
        if (request.Server is { } server)
        {
            if (ServerHealth.Fetch(server, out error) is not { } fetched)
            {
                stderr.WriteLine($"gslbdns explain: {error}");
                return 1;
            }
            ServerHealth.Apply(fetched, state);
            health = fetched;
            if (ServerLoad.Fetch(server, out error) is not { } status)
            {
                stderr.WriteLine($"gslbdns explain: {error}");
                return 1;
            }
            ServerLoad.Apply(status, state, TimeProvider.System);
        }
        else
        {
            var idle = new Health.HealthMonitor(state, new Health.Probes.ProbeSet([]), TimeProvider.System, NullLogger<Health.HealthMonitor>.Instance);
            health = new Api.HealthReport(store, idle, TimeProvider.System).Build();
        }

        var pipeline = new QueryPipeline(store, new SteeringStep(NullLogger<SteeringStep>.Instance),
            new QueryPipelineOptions(), NullLogger<QueryPipeline>.Instance);
        var source = request.Client ?? IPAddress.Loopback;
        var context = new RequestContext(Transport.Udp, ClientAddress.FromIPAddress(source));
        var query = BuildQuery(name, request);
        var trace = new SteeringTrace();
        var buffer = new byte[ushort.MaxValue];
        int length = pipeline.Handle(query, buffer, context, trace);

        stdout.WriteLine($"Question:    {name} {RecordTypeNames.ToText(request.Type)}");
        stdout.WriteLine($"GeoIP:       {geo.Current.ToString().Replace(Directory.GetCurrentDirectory() + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)}");
        if (trace.Service is null)
        {
            stdout.WriteLine("Steering:    none: no policy steers this name, the zone answers it as written");
        }
        else if (trace.TargetRegion >= 0)
        {
            var service = trace.Service;
            stdout.WriteLine($"Steering:    {name} is the target of region '{service.Policy.Regions[trace.TargetRegion].Name}' of {service.Policy.Name}: its addresses, less those health checks report down");
        }
        else
        {
            WriteDecision(stdout, trace, store, state, name, health, request.Server);
        }
        stdout.WriteLine();
        stdout.WriteLine("Reply:");
        WriteReply(stdout, buffer.AsSpan(0, length));
        return 0;
    }

    private static byte[] BuildQuery(DnsName name, ExplainRequest request)
    {
        var wire = name.Wire;
        var message = new List<byte> { 0x4e, 0x58, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 1 };
        message.AddRange(wire.ToArray());
        message.AddRange([(byte)((ushort)request.Type >> 8), (byte)request.Type, 0, 1]);
        var option = new List<byte>();
        if (request.Subnet is { } subnet)
        {
            // The same option a resolver sends (RFC 7871 §6), written as a reply's would be with scope 0.
            var ecs = new Parsing.ClientSubnetOption
            {
                Present = true,
                Family = subnet.IsIPv4 ? (ushort)1 : (ushort)2,
                SourcePrefix = (byte)(subnet.IsIPv4 ? subnet.Length - 96 : subnet.Length),
                Address = subnet.Bits,
            };
            Span<byte> bytes = stackalloc byte[24];
            option.AddRange(bytes[..Writing.ClientSubnetWriter.Write(bytes, ecs, scopePrefix: 0)].ToArray());
        }
        // OPT: root owner, type 41, payload 1232, version 0.
        message.AddRange([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, (byte)(option.Count >> 8), (byte)option.Count]);
        message.AddRange(option);
        return [.. message];
    }

    private static void WriteDecision(TextWriter stdout, SteeringTrace trace, ZoneStore store, Steering.State.RegionStateStore state,
        DnsName name, Api.HealthDocument health, Uri? server)
    {
        var service = trace.Service!;
        var policy = service.Policy;
        stdout.WriteLine($"Service:     {policy.Name} ({(service.AnswersAddresses ? "address" : "cname")} mode, TTL {policy.Ttl}, all-down: {policy.AllDown}) from {policy.Source}");
        stdout.WriteLine($"Client:      {trace.ClientSource}");
        stdout.WriteLine($"Location:    {trace.Facts}");
        var outcome = trace.Outcome!;
        var rule = policy.Rules[outcome.RuleIndex];
        stdout.WriteLine($"Rule:        {(rule.IsDefault ? "default rule" : "rule")} at {rule.Source}{(outcome.LocationUnknown ? " (client location unknown)" : "")}");
        stdout.WriteLine($"Preference:  {outcome.Ranking.Format(policy.Regions)}");
        var zoneSteering = store.Current.FindZone(name.Wire)?.Steering;
        stdout.WriteLine("Regions:");
        for (int i = 0; i < policy.Regions.Length; i++)
        {
            var region = policy.Regions[i];
            var status = zoneSteering?.State.GetRegion(policy.Index, i);
            string verdict = i < trace.Verdicts.Length ? trace.Verdicts[i].ToString() : "";
            string load = LoadText(status, trace, policy, i, zoneSteering is null ? null : state.LoadOf(new(policy.Name, region.Name)));
            stdout.WriteLine($"  {region.Name,-10} {region.Target,-28} admin {status?.Admin}, health {status?.Health}{load}, weight {region.Weight}: {verdict}");
            WriteAddresses(stdout, health, policy, region);
        }
        stdout.WriteLine(server is null
            ? "State:       health as the checks start (initial), no load reports or API drains; add --server ADDR:PORT for a running server's"
            : $"State:       health, load and drains from {server} at {health.Time:u}");
        var choice = trace.Choice;
        string chosen = choice.Kind == ChoiceKind.Region ? policy.Regions[choice.Region].Name : choice.Kind.ToString().ToUpperInvariant();
        stdout.WriteLine($"Choice:      {chosen}");
        stdout.WriteLine($"Why:         {ChoiceExplanation.Describe(policy, outcome, choice, trace.Verdicts)}");
        stdout.WriteLine(trace.ScopePrefix >= 0
            ? $"ECS scope:   /{trace.ScopePrefix.ToString(CultureInfo.InvariantCulture)} (the answer is the same for every address in that network; GeoIP network /{trace.TreeScope})"
            : $"ECS scope:   none (no ECS option; the answer holds for the network /{trace.TreeScope} around the source address)");
    }

    /// <summary>The region's load as steering uses it: ratio, shed share, the report, and whether this client is in the shed part.</summary>
    private static string LoadText(Steering.State.RegionStatus? status, SteeringTrace trace, Steering.Policy.ServicePolicy policy, int region,
        (Steering.State.ReceivedLoad Load, bool Valid)? received)
    {
        if (status is not { HasLoad: true } s) return ", load unknown (no valid report: idle)";
        string shed = s.ShedShare <= 0 ? "sheds none"
            : $"sheds {s.ShedShare.ToString("0%", CultureInfo.InvariantCulture)}, this client's network "
              + (RegionChooser.IsShed(trace.ClientKey, policy, region, s) ? "is in the shed part" : "is kept");
        string from = received is { } r ? $" from {r.Load.Source}" : "";
        return $", load {s.Load.ToString("0.00", CultureInfo.InvariantCulture)}{from} ({shed})";
    }

    /// <summary>One line per address of the region: verdict, since when, the last probe and the check that made it.</summary>
    private static void WriteAddresses(TextWriter stdout, Api.HealthDocument health, Steering.Policy.ServicePolicy policy, Steering.Policy.RegionConfig region)
    {
        var service = health.Services.FirstOrDefault(s => string.Equals(s.Service, policy.Name.ToString().TrimEnd('.'), StringComparison.OrdinalIgnoreCase));
        var view = service?.Regions.FirstOrDefault(r => r.Region == region.Name);
        if (view is null) return;
        foreach (var address in view.Addresses)
        {
            var since = address.Since is { } s ? $" since {s:u}" : "";
            var last = address.LastResult is null ? "no probe yet"
                : $"last probe {address.LastResult} in {address.LatencyMs ?? 0:0.#} ms ({address.Successes} ok / {address.Failures} failed in a row)";
            var check = view.Check == "none" ? "not checked" : $"{last}; check {view.Check}{(address.Probed is { } p ? " at " + p : "")}";
            stdout.WriteLine($"{"",13}{address.Address,-28} {address.Verdict}{since}{(address.Reason is { } r && address.Since is not null ? $" ({r})" : "")}: {check}");
            if (address.Votes is { Count: > 0 } votes)
            {
                int down = votes.Count(v => v.Verdict == "down"), voters = votes.Count(v => v.Verdict is "up" or "down");
                stdout.WriteLine($"{"",15}votes: {string.Join(", ", votes.Select(v => $"{v.Instance}{(v.Self ? " (this server)" : "")} {v.Verdict}"))}"
                    + $"; {down} of {voters} down, agree {address.Agree}: {address.Verdict}");
            }
        }
    }

    private static void WriteReply(TextWriter stdout, ReadOnlySpan<byte> reply)
    {
        if (reply.Length < 12)
        {
            stdout.WriteLine("  (no reply)");
            return;
        }
        var message = ARSoft.Tools.Net.Dns.DnsMessage.Parse(reply.ToArray());
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(reply[2..]);
        stdout.WriteLine($"  rcode {message.ReturnCode}, flags{((flags & 0x0400) != 0 ? " aa" : "")}{((flags & 0x0200) != 0 ? " tc" : "")}");
        foreach (var (section, records) in new[] { ("answer", message.AnswerRecords), ("authority", message.AuthorityRecords), ("additional", message.AdditionalRecords) })
        {
            foreach (var record in records)
            {
                if (record.RecordType == ARSoft.Tools.Net.Dns.RecordType.Opt) continue;
                stdout.WriteLine($"  {section,-10} {record}");
            }
        }
    }
}
