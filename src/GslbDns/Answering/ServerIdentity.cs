using GslbDns.Writing;

namespace GslbDns.Answering;

/// <summary>
/// The CHAOS-class names a server answers about itself, as BIND, knot and NSD do: <c>id.server</c>
/// and <c>hostname.bind</c> (which instance answered: useful behind anycast or a load balancer) and
/// <c>version.server</c> and <c>version.bind</c> (REFUSED unless a version text is configured, so
/// scanners learn nothing). RFC 4892 describes the convention. Everything else in CH is REFUSED.
/// </summary>
public sealed class ServerIdentity
{
    private static readonly byte[][] IdNames = [Wire("id.server."), Wire("hostname.bind.")];
    private static readonly byte[][] VersionNames = [Wire("version.server."), Wire("version.bind.")];

    private readonly byte[]? _id;
    private readonly byte[]? _version;

    public ServerIdentity(string? id, string? version)
    {
        _id = id is null ? null : TxtRdata(id);
        _version = version is null ? null : TxtRdata(version);
    }

    /// <summary>Writes the answer to a CH query for <paramref name="qname"/> (lower-case wire) and returns its rcode.</summary>
    public ResponseCode Answer(ReadOnlySpan<byte> qname, RecordType qtype, ref MessageWriter writer, out bool authoritative)
    {
        authoritative = false;
        byte[]? text = Matches(qname, IdNames) ? _id : Matches(qname, VersionNames) ? _version : null;
        if (text is null) return ResponseCode.Refused;
        authoritative = true;
        if (qtype is RecordType.TXT or RecordType.ANY)
        {
            // TTL 0: the answer is about this server now, not something to cache for others.
            writer.WriteRecord(Section.Answer, [], RecordType.TXT, DnsWire.ClassCH, 0, text, RdataNames.None);
        }
        return ResponseCode.NoError;
    }

    private static bool Matches(ReadOnlySpan<byte> qname, byte[][] names)
    {
        foreach (var name in names)
        {
            if (qname.SequenceEqual(name)) return true;
        }
        return false;
    }

    /// <summary>TXT RDATA: the text as character-strings of at most 255 bytes each (RFC 1035 §3.3.14).</summary>
    private static byte[] TxtRdata(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var rdata = new List<byte>();
        for (int i = 0; i < bytes.Length || i == 0; i += 255)
        {
            int length = Math.Min(255, bytes.Length - i);
            rdata.Add((byte)length);
            rdata.AddRange(bytes.AsSpan(i, length).ToArray());
        }
        return [.. rdata];
    }

    private static byte[] Wire(string name) => DnsName.Parse(name).Wire.ToArray();
}
