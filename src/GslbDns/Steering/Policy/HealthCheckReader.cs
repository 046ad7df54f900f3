using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using GslbDns.Health;
using GslbDns.Steering.State;

namespace GslbDns.Steering.Policy;

/// <summary>
/// Reads <c>health</c> blocks of a policy (docs/policy.md, "Health checks"). Blocks stack: the
/// defaults, then the service, then the region; for each key the nearest block that sets it wins.
/// Every key is validated where it is written, so a bad default is reported once at its own line.
/// </summary>
internal sealed class HealthCheckReader(SourceFields fields)
{
    public static readonly string[] Keys =
    [
        "check", "port", "path", "host", "method", "expect", "tls-verify", "interval", "fast-interval", "timeout",
        "rise", "fall", "initial", "address", "source", "query", "agree",
    ];

    private static readonly (string, CheckKind)[] Kinds =
        [("none", CheckKind.None), ("tcp", CheckKind.Tcp), ("http", CheckKind.Http), ("https", CheckKind.Https), ("dns", CheckKind.Dns)];

    private static readonly (string, string)[] Methods = [("GET", "GET"), ("HEAD", "HEAD")];

    private static readonly (string, HealthStatus)[] Initials =
        [("up", HealthStatus.Up), ("down", HealthStatus.Down), ("unknown", HealthStatus.Unknown)];

    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MinFastInterval = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// One layer: the keys of a <c>health</c> block, each checked on its own. Returns null (and
    /// records the problem) when the node is not a mapping.
    /// </summary>
    public HealthLayer? ReadLayer(SourceNode node, string what)
    {
        if (fields.Mapping(node, what) is not { } map) return null;
        fields.CheckKeys(map, what, Keys);
        var layer = new HealthLayer(map.Location);
        foreach (var (key, value) in map.Entries)
        {
            if (layer.Values.ContainsKey(key.Value)) continue;
            object? parsed = key.Value switch
            {
                "check" => fields.Choice(value, "check", Kinds, out var kind) ? kind : null,
                "port" => fields.Integer(value, "port", 1, 65535, out long port) ? (int)port : null,
                "path" => ReadPath(value),
                "host" => ReadHost(value),
                "method" => fields.Choice(value, "method", Methods, out var method) ? method : null,
                "expect" => ReadExpect(value),
                "tls-verify" => fields.Boolean(value, "tls-verify", out bool verify) ? verify : null,
                "interval" => ReadDuration(value, "interval", MinInterval),
                "fast-interval" => ReadDuration(value, "fast-interval", MinFastInterval),
                "timeout" => ReadDuration(value, "timeout", MinTimeout),
                "rise" => fields.Integer(value, "rise", 1, 100, out long rise) ? (int)rise : null,
                "fall" => fields.Integer(value, "fall", 1, 100, out long fall) ? (int)fall : null,
                "initial" => fields.Choice(value, "initial", Initials, out var initial) ? initial : null,
                "address" => ReadAddress(value, "address"),
                "source" => ReadAddress(value, "source"),
                "query" => ReadQuery(value),
                "agree" => ReadAgree(value),
                _ => null,
            };
            if (parsed is not null) layer.Values[key.Value] = (parsed, value.Location);
        }
        return layer;
    }

    /// <summary>
    /// Merges the layers (farthest first) into one check and validates the keys against each other
    /// (a timeout not below the interval, a body expected from HEAD ...). Problems are reported at the
    /// line of the nearest key involved, so the same default problem reported for two regions is one
    /// line, which the policy reader de-duplicates.
    /// </summary>
    public HealthCheckSpec Merge(IReadOnlyList<HealthLayer?> layers, string where)
    {
        var merged = new Dictionary<string, (object Value, Zones.SourceLocation Location)>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            if (layer is null) continue;
            foreach (var (key, value) in layer.Values) merged[key] = value;
        }
        T Get<T>(string key, T fallback) => merged.TryGetValue(key, out var v) ? (T)v.Value : fallback;

        var kind = Get("check", CheckKind.None);
        var expect = Get<(ImmutableArray<StatusRange> Status, string? Body)>("expect", (HealthCheckSpec.DefaultStatus, null));
        var query = Get<(string? Name, RecordType Type)>("query", (null, RecordType.A));
        var spec = new HealthCheckSpec
        {
            Kind = kind,
            Port = Get("port", 0),
            Path = Get("path", "/"),
            Host = Get<string?>("host", null),
            Method = Get("method", "GET"),
            ExpectStatus = expect.Status,
            ExpectBody = expect.Body,
            TlsVerify = Get("tls-verify", true),
            Interval = Get("interval", TimeSpan.FromSeconds(5)),
            FastInterval = merged.TryGetValue("fast-interval", out var fast) ? (TimeSpan)fast.Value : null,
            Timeout = Get("timeout", TimeSpan.FromSeconds(1)),
            Rise = Get("rise", 2),
            Fall = Get("fall", 3),
            Initial = Get("initial", HealthStatus.Up),
            Address = Get<IPAddress?>("address", null),
            Source = Get<IPAddress?>("source", null),
            QueryName = query.Name,
            QueryType = query.Type,
            Agree = Get("agree", AgreeRule.Quorum),
        };
        if (kind == CheckKind.None) return spec;

        Zones.SourceLocation At(string key, string other) =>
            merged.TryGetValue(key, out var a) ? a.Location : merged.TryGetValue(other, out var b) ? b.Location : default;
        if (spec.Timeout >= spec.Interval)
        {
            fields.Error(At("timeout", "interval"),
                $"health check of {where}: timeout {Durations.Format(spec.Timeout)} must be below interval {Durations.Format(spec.Interval)}");
        }
        if (spec.FastInterval is { } fastInterval && fastInterval > spec.Interval)
        {
            fields.Error(At("fast-interval", "interval"),
                $"health check of {where}: fast-interval {Durations.Format(fastInterval)} must not exceed interval {Durations.Format(spec.Interval)}");
        }
        if (spec.Method == "HEAD" && spec.ExpectBody is not null && kind is CheckKind.Http or CheckKind.Https)
        {
            fields.Error(At("expect", "method"), $"health check of {where}: a HEAD reply has no body, so expect.body can never match; use method GET");
        }
        if (spec.Address is not null && spec.Source is not null && spec.Address.AddressFamily != spec.Source.AddressFamily)
        {
            fields.Error(At("source", "address"), $"health check of {where}: source {spec.Source} and address {spec.Address} are of different families");
        }
        return spec;
    }

    private string? ReadPath(SourceNode node)
    {
        var text = fields.Text(node, "path");
        if (text is null) return null;
        if (text.Length > 0 && text[0] == '/' && !text.Any(c => c <= ' ' || c == 0x7f)) return text;
        fields.Error(node, $"path must start with '/' and hold no spaces or control characters, found '{text}'");
        return null;
    }

    private string? ReadHost(SourceNode node)
    {
        var text = fields.Text(node, "host");
        if (text is null) return null;
        var host = text.TrimEnd('.');
        if (host.Length is > 0 and <= 253 && Uri.CheckHostName(host) != UriHostNameType.Unknown) return host;
        fields.Error(node, $"host must be a host name or address, found '{text}'");
        return null;
    }

    private object? ReadDuration(SourceNode node, string what, TimeSpan min) =>
        fields.Duration(node, what, min, TimeSpan.FromDays(1), out var value) ? value : null;

    private object? ReadAddress(SourceNode node, string what)
    {
        var text = fields.Text(node, what);
        if (text is null) return null;
        if (IPAddress.TryParse(text, out var address) && !text.Contains('%') && !text.Contains('/')) return address;
        fields.Error(node, $"{what} must be an IPv4 or IPv6 address, found '{text}'");
        return null;
    }

    private object? ReadAgree(SourceNode node)
    {
        if (fields.Text(node, "agree") is not { } text) return null;
        if (AgreeRule.TryParse(text, out var rule)) return rule;
        fields.Error(node, $"agree: '{text}' is not any, all, quorum or fraction:F with F above 0 and at most 1 (such as fraction:0.34)");
        return null;
    }

    private object? ReadExpect(SourceNode node)
    {
        if (fields.Mapping(node, "expect") is not { } map) return null;
        fields.CheckKeys(map, "expect", "status", "body");
        int before = fields.Problems.Count;
        var status = HealthCheckSpec.DefaultStatus;
        if (SourceFields.Get(map, "status") is { } statusNode)
        {
            var ranges = ImmutableArray.CreateBuilder<StatusRange>();
            foreach (var item in fields.List(statusNode, "expect.status"))
            {
                if (fields.Text(item, "expect.status") is { } text && ParseRange(text) is { } range) ranges.Add(range);
                else if (item is SourceScalar { IsNull: false } bad) fields.Error(bad, $"expect.status: '{bad.Value}' is not a status (100-599) or a range such as 200-399");
            }
            if (ranges.Count == 0 && fields.Problems.Count == before) fields.Error(statusNode, "expect.status is empty");
            status = ranges.ToImmutable();
        }
        string? body = null;
        if (SourceFields.Get(map, "body") is { } bodyNode && fields.Text(bodyNode, "expect.body") is { } bodyText)
        {
            if (bodyText.Length == 0) fields.Error(bodyNode, "expect.body is empty; leave it out to accept any body");
            else body = bodyText;
        }
        return fields.Problems.Count == before ? (status, body) : null;
    }

    private static StatusRange? ParseRange(string text)
    {
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int low)) return null;
        int high = low;
        if (parts.Length == 2 && !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out high)) return null;
        return low is >= 100 and <= 599 && high is >= 100 and <= 599 && low <= high ? new StatusRange(low, high) : null;
    }

    private object? ReadQuery(SourceNode node)
    {
        if (fields.Mapping(node, "query") is not { } map) return null;
        fields.CheckKeys(map, "query", "name", "type");
        int before = fields.Problems.Count;
        string? name = null;
        if (SourceFields.Get(map, "name") is { } nameNode && fields.Text(nameNode, "query.name") is { } nameText)
        {
            if (DnsName.TryParse(nameText, DnsName.Root, out var parsed, out var error)) name = parsed.ToString();
            else fields.Error(nameNode, $"query.name '{nameText}': {error}");
        }
        var type = RecordType.A;
        if (SourceFields.Get(map, "type") is { } typeNode && fields.Text(typeNode, "query.type") is { } typeText)
        {
            if (Enum.TryParse<RecordType>(typeText, ignoreCase: true, out var parsedType) && !int.TryParse(typeText, out _)
                && parsedType is not (RecordType.OPT or RecordType.AXFR or RecordType.IXFR))
            {
                type = parsedType;
            }
            else
            {
                fields.Error(typeNode, $"query.type '{typeText}' is not a record type such as A, AAAA or SOA");
            }
        }
        return fields.Problems.Count == before ? (name, type) : null;
    }
}

/// <summary>The keys one <c>health</c> block sets, parsed, with the line of each.</summary>
internal sealed class HealthLayer(Zones.SourceLocation location)
{
    public Zones.SourceLocation Location { get; } = location;

    public Dictionary<string, (object Value, Zones.SourceLocation Location)> Values { get; } = new(StringComparer.Ordinal);
}
