using System.Collections.Immutable;
using System.Net;
using GslbDns.Configuration;
using GslbDns.Steering.Policy;
using GslbDns.Tsig;
using GslbDns.Zones;

namespace GslbDns.Transfer;

/// <summary>
/// Reads <c>zones/transfer.yaml</c>:
/// <code>
/// example.com:
///   allow: [192.0.2.53/32, "2001:db8::53/128"]    # sources that may transfer
///   tsig: [transfer-key]                          # keys that must sign the request
///   notify: ["192.0.2.53", "[2001:db8::53]:5300"] # secondaries to NOTIFY on a serial change
/// </code>
/// A zone with neither <c>allow</c> nor <c>tsig</c> would be open to everyone, so it is an error.
/// </summary>
public static class TransferRulesReader
{
    public const string FileName = "transfer.yaml";
    private const int NotifyPort = 53;

    /// <param name="keys">The keys of --tsig-keys, to check the names used; null skips that check (gslbdns check).</param>
    /// <param name="zones">The zones served, to check each entry names one; null skips that check.</param>
    public static (TransferRules? Rules, IReadOnlyList<ZoneProblem> Problems) ReadText(string text, string file,
        TsigKeyring? keys, IReadOnlySet<DnsName>? zones)
    {
        var problems = new List<ZoneProblem>();
        var root = SourceTreeReader.Read(text, file, problems);
        if (problems.Count > 0) return (null, problems);
        if (root is null || root is SourceScalar { IsNull: true }) return (TransferRules.None, problems);
        var fields = new SourceFields(problems);
        var rules = new List<ZoneTransferRule>();
        var seen = new Dictionary<DnsName, int>(WireComparer.Instance);
        if (fields.Mapping(root, "the transfer file") is { } top)
        {
            foreach (var (key, value) in top.Entries)
            {
                if (!DnsName.TryParse(key.Value, DnsName.Root, out var zone, out var nameError))
                {
                    fields.Error(key, $"bad zone name '{key.Value}': {nameError}");
                    continue;
                }
                if (!seen.TryAdd(zone, key.Location.Line))
                {
                    fields.Error(key, $"zone {zone} is listed twice (first at line {seen[zone]})");
                    continue;
                }
                if (zones is not null && !zones.Contains(zone))
                {
                    fields.Error(key, $"zone {zone} is not served: no zone file has this origin");
                }
                if (fields.Mapping(value, $"'{key.Value}'") is not { } map) continue;
                if (ReadRule(fields, zone, key, map, keys) is { } rule) rules.Add(rule);
            }
        }
        return problems.Count == 0 ? (new TransferRules(rules), problems) : (null, problems);
    }

    private static ZoneTransferRule? ReadRule(SourceFields fields, DnsName zone, SourceScalar key, SourceMapping map, TsigKeyring? keys)
    {
        int before = fields.Problems.Count;
        fields.CheckKeys(map, $"zone {zone}", "allow", "tsig", "notify");
        ImmutableArray<IpPrefix>? allow = null;
        ImmutableArray<DnsName>? tsig = null;
        var notify = ImmutableArray.CreateBuilder<IPEndPoint>();
        if (SourceFields.Get(map, "allow") is { } allowNode)
        {
            var prefixes = ImmutableArray.CreateBuilder<IpPrefix>();
            foreach (var item in fields.List(allowNode, $"allow of {zone}"))
            {
                if (fields.Text(item, "an allow entry") is not { } text) continue;
                if (IpPrefix.TryParse(text.Contains('/') ? text : text + (text.Contains(':') ? "/128" : "/32"), out var prefix, out var error))
                {
                    prefixes.Add(prefix);
                }
                else
                {
                    fields.Error(item, $"allow entry '{text}' of {zone}: {error} (an address or CIDR such as 192.0.2.53/32)");
                }
            }
            allow = prefixes.ToImmutable();
        }
        if (SourceFields.Get(map, "tsig") is { } tsigNode)
        {
            var names = ImmutableArray.CreateBuilder<DnsName>();
            foreach (var item in fields.List(tsigNode, $"tsig of {zone}"))
            {
                if (fields.Text(item, "a tsig key name") is not { } text) continue;
                if (!DnsName.TryParse(text.EndsWith('.') ? text : text + ".", null, out var name, out var error))
                {
                    fields.Error(item, $"bad key name '{text}': {error}");
                    continue;
                }
                if (keys is not null && keys.Find(name) is null)
                {
                    fields.Error(item, keys.Keys.Count == 0
                        ? $"key '{text}' is not known: the server was started without --tsig-keys FILE"
                        : $"key '{text}' is not in the --tsig-keys file (it has {string.Join(", ", keys.Keys.Select(k => k.Name))})");
                    continue;
                }
                names.Add(name);
            }
            tsig = names.ToImmutable();
        }
        if (allow is null && tsig is null)
        {
            fields.Error(key, $"zone {zone} has neither allow nor tsig, which would let anyone transfer it; give allow: [ADDRESS/LEN], tsig: [KEY] or both");
        }
        if (SourceFields.Get(map, "notify") is { } notifyNode)
        {
            foreach (var item in fields.List(notifyNode, $"notify of {zone}"))
            {
                if (fields.Text(item, "a notify entry") is not { } text) continue;
                if (TryParseTarget(text, out var endpoint)) notify.Add(endpoint);
                else fields.Error(item, $"notify entry '{text}' of {zone} is not ADDRESS, ADDRESS:PORT or [IPv6]:PORT");
            }
        }
        if (fields.Problems.Count > before) return null;
        return new ZoneTransferRule(zone, allow, tsig, notify.ToImmutable(), key.Location);
    }

    /// <summary>"192.0.2.53", "192.0.2.53:5300", "2001:db8::53", "[2001:db8::53]", "[2001:db8::53]:5300"; port 53 unless given.</summary>
    private static bool TryParseTarget(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        bool bracketed = text.StartsWith('[');
        if (bracketed && text.EndsWith(']')) return TryBare(text[1..^1], out endpoint);
        if (bracketed || text.Count(c => c == ':') == 1)
        {
            return ListenAddress.TryParse(text, out endpoint, out _) && endpoint.Port != 0;
        }
        return TryBare(text, out endpoint);
    }

    private static bool TryBare(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!IPAddress.TryParse(text, out var address)) return false;
        endpoint = new IPEndPoint(address, NotifyPort);
        return true;
    }
}
