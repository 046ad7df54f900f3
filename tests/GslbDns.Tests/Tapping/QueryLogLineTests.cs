using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Tapping;

namespace GslbDns.Tests.Tapping;

/// <summary>One record as one JSON line: addresses of both families, ECS, odd names, unknown types.</summary>
public sealed class QueryLogLineTests
{
    private static JsonElement Line(QueryLogRecord record, byte[] name)
    {
        var output = new ArrayBufferWriter<byte>();
        new QueryLogLine(output).Append(record, name, new DateTime(2026, 12, 2, 6, 30, 0, 123, DateTimeKind.Utc));
        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return JsonDocument.Parse(text).RootElement;
    }

    private static UInt128 Bits(string address) => ClientAddress.FromIPAddress(IPAddress.Parse(address)).Bits;

    [Fact]
    public void IPv6ClientAndSubnet_InTheirShortForm()
    {
        var line = Line(new QueryLogRecord
        {
            Client = ClientAddress.FromIPAddress(IPAddress.Parse("2001:db8::53")),
            ClientPort = 40000,
            Transport = Transport.Tcp,
            QType = RecordType.AAAA,
            Rcode = ResponseCode.Refused,
            HasClientSubnet = true,
            ClientSubnet = new ClientSubnetOption { Present = true, Family = 2, SourcePrefix = 48, Address = Bits("2001:db8:1::") },
            ScopePrefix = 0,
            Region = -1,
        }, DnsName.Parse("www.example.net.").Wire.ToArray());
        Assert.Equal("2026-12-02T06:30:00.123Z", line.GetProperty("time").GetString());
        Assert.Equal("2001:db8::53", line.GetProperty("client").GetString());
        Assert.Equal("tcp", line.GetProperty("protocol").GetString());
        Assert.Equal("2001:db8:1::/48", line.GetProperty("ecs").GetString());
        Assert.Equal("AAAA", line.GetProperty("type").GetString());
        Assert.Equal("REFUSED", line.GetProperty("rcode").GetString());
        Assert.Equal(0, line.GetProperty("scope").GetInt32());
    }

    [Fact]
    public void IPv4Subnet_AndEscapedNameAndUnknownType()
    {
        var line = Line(new QueryLogRecord
        {
            Client = ClientAddress.FromIPAddress(IPAddress.Parse("81.2.69.160")),
            QType = (RecordType)65534,
            Rcode = ResponseCode.NXDomain,
            HasClientSubnet = true,
            ClientSubnet = new ClientSubnetOption { Present = true, Family = 1, SourcePrefix = 24, Address = Bits("81.2.69.0") },
            ScopePrefix = 16,
        }, [3, (byte)'a', (byte)'.', (byte)'b', 4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0]);
        Assert.Equal("81.2.69.160", line.GetProperty("client").GetString());
        Assert.Equal("81.2.69.0/24", line.GetProperty("ecs").GetString());
        Assert.Equal(16, line.GetProperty("scope").GetInt32());
        Assert.Equal("a\\.b.test.", line.GetProperty("name").GetString());
        Assert.Equal("TYPE65534", line.GetProperty("type").GetString());
        Assert.Equal("NXDOMAIN", line.GetProperty("rcode").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("service").ValueKind);
    }

    [Fact]
    public void NoQuestion_NameAndTypeAreNull()
    {
        var line = Line(new QueryLogRecord { Client = ClientAddress.FromIPv4(0x7f000001), Rcode = ResponseCode.FormErr }, []);
        Assert.Equal("127.0.0.1", line.GetProperty("client").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, line.GetProperty("type").ValueKind);
        Assert.Equal("FORMERR", line.GetProperty("rcode").GetString());
    }
}
