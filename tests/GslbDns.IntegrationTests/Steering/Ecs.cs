using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Steering;

/// <summary>Queries with an EDNS Client Subnet option and reads the option of the reply.</summary>
public static class Ecs
{
    public static QueryBuilder For(string cidr) => new() { EdnsPayload = 1232, Options = [QueryBuilder.ClientSubnet(cidr)] };

    public static async Task<(DnsMessage Reply, int? Scope)> QueryAsync(WireClient client, string name, RecordType type, string? cidr, bool tcp = false)
    {
        var builder = cidr is null ? new QueryBuilder { EdnsPayload = 1232 } : For(cidr);
        var bytes = builder.Build(name, (ushort)type);
        var raw = tcp ? await client.TcpRawAsync(bytes) : await client.UdpRawAsync(bytes) ?? throw new TimeoutException();
        var reply = DnsMessage.Parse(raw);
        return (reply, ScopeOf(raw));
    }

    /// <summary>The scope prefix of the ECS option in a reply, found by walking the OPT RDATA.</summary>
    public static int? ScopeOf(byte[] raw)
    {
        var message = DnsMessage.Parse(raw);
        var opt = message.AdditionalRecords.OfType<OptRecord>().SingleOrDefault();
        var ecs = opt?.Options.OfType<ClientSubnetOption>().SingleOrDefault();
        return ecs?.ScopeNetmask;
    }

    /// <summary>The region a www-style answer pointed at: the first label of the CNAME target.</summary>
    public static string Region(DnsMessage reply) =>
        reply.AnswerRecords.OfType<CNameRecord>().Single().CanonicalName.Labels[0];
}
