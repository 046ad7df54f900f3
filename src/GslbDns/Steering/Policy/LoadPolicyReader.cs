namespace GslbDns.Steering.Policy;

/// <summary>
/// Reads the <c>load</c> blocks of a policy: per service (defaults, then the service's own keys)
/// <c>shed: { start, full }</c>, <c>spill</c> and <c>report-ttl</c>; per region where its load is pulled from.
/// </summary>
internal sealed class LoadPolicyReader(SourceFields fields)
{
    private static readonly (string, SpillMode)[] SpillModes = [("next", SpillMode.Next), ("capacity", SpillMode.Capacity)];

    public static readonly TimeSpan MinPullInterval = TimeSpan.FromMilliseconds(500);

    /// <summary><paramref name="fallback"/> with the keys of the block at <paramref name="node"/> applied.</summary>
    public LoadPolicy ReadService(SourceNode node, string what, LoadPolicy fallback)
    {
        if (fields.Mapping(node, what) is not { } map) return fallback;
        fields.CheckKeys(map, what, "shed", "spill", "report-ttl");
        var result = fallback;
        if (SourceFields.Get(map, "shed") is { } shedNode && fields.Mapping(shedNode, $"{what}.shed") is { } shed)
        {
            fields.CheckKeys(shed, $"{what}.shed", "start", "full");
            bool ok = ReadFraction(shed, "start", fallback.ShedStart, out double start);
            ok &= ReadFraction(shed, "full", fallback.ShedFull, out double full);
            if (ok && start >= full)
            {
                fields.Error(shed, $"{what}.shed: start ({start}) must be below full ({full})");
            }
            result = result with { ShedStart = start, ShedFull = full };
        }
        if (SourceFields.Get(map, "spill") is { } spillNode && fields.Choice(spillNode, "spill", SpillModes, out var spill))
        {
            result = result with { Spill = spill };
        }
        if (SourceFields.Get(map, "report-ttl") is { } ttlNode
            && fields.Duration(ttlNode, "report-ttl", TimeSpan.FromSeconds(1), LoadPolicy.MaxReportTtl, out var ttl))
        {
            result = result with { ReportTtl = ttl };
        }
        return result;
    }

    /// <summary>The region's <c>load</c> block: where to pull its load from.</summary>
    public LoadPullSpec? ReadRegion(SourceNode node, string what)
    {
        if (fields.Mapping(node, what) is not { } map) return null;
        fields.CheckKeys(map, what, "pull", "agent", "interval", "timeout", "backend");
        var pullNode = SourceFields.Get(map, "pull");
        var agentNode = SourceFields.Get(map, "agent");
        if ((pullNode is null) == (agentNode is null))
        {
            fields.Error(map, $"{what} needs exactly one of 'pull: URL' or 'agent: host:port'");
            return null;
        }
        Uri? url = null;
        string? agent = null;
        bool ok = true;
        if (pullNode is not null && fields.Text(pullNode, "pull") is { } text)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https") url = parsed;
            else
            {
                fields.Error(pullNode, $"pull must be an http:// or https:// URL, found '{text}'");
                ok = false;
            }
        }
        if (agentNode is not null && fields.Text(agentNode, "agent") is { } endpoint)
        {
            if (IsHostPort(endpoint)) agent = endpoint;
            else
            {
                fields.Error(agentNode, $"agent must be host:port, found '{endpoint}'");
                ok = false;
            }
        }
        var interval = LoadPullSpec.DefaultInterval;
        if (SourceFields.Get(map, "interval") is { } intervalNode
            && !fields.Duration(intervalNode, "interval", MinPullInterval, TimeSpan.FromMinutes(10), out interval))
        {
            ok = false;
        }
        var timeout = TimeSpan.FromTicks(Math.Min(interval.Ticks / 2, TimeSpan.FromSeconds(2).Ticks));
        if (SourceFields.Get(map, "timeout") is { } timeoutNode)
        {
            if (!fields.Duration(timeoutNode, "timeout", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10), out timeout)) ok = false;
            else if (timeout >= interval)
            {
                fields.Error(timeoutNode, $"timeout {Health.Durations.Format(timeout)} must be below interval {Health.Durations.Format(interval)}");
                ok = false;
            }
        }
        string? backend = null;
        if (SourceFields.Get(map, "backend") is { } backendNode)
        {
            backend = fields.Text(backendNode, "backend");
            if (agentNode is not null)
            {
                fields.Error(backendNode, "backend applies to a pulled HAProxy CSV, not to an agent");
                ok = false;
            }
        }
        return ok && (url is not null || agent is not null) ? new LoadPullSpec(url, agent, interval, timeout, backend) : null;
    }

    private bool ReadFraction(SourceMapping map, string key, double fallback, out double value)
    {
        value = fallback;
        if (SourceFields.Get(map, key) is not { } node) return true;
        if (!fields.Number(node, key, out double read)) return false;
        if (read is > 0 and <= 1)
        {
            value = read;
            return true;
        }
        fields.Error(node, $"shed.{key} must be a fraction above 0 and at most 1 (0.80 is 80 %), found {read}");
        return false;
    }

    private static bool IsHostPort(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out int port) || port is < 1 or > 65535) return false;
        var host = text[..colon].Trim('[', ']');
        return Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
