using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>AXFR over real TCP from the sample zone and its steering policy, with transfer.yaml rules.</summary>
public sealed class AxfrTests
{
    /// <summary>
    /// The sample zone with its TTLs in seconds (ARSoft.Tools.Net's reader knows no units) and explicit
    /// after the regional records (it gives a record without TTL the previous record's, not $TTL's,
    /// RFC 2308 §4), so the very file the server serves can be read by an independent parser.
    /// </summary>
    public static string SampleZoneText() => File.ReadAllText(RepositoryFiles.PathOf("zones", "example.com.zone"))
        .Replace("$TTL 1h", "$TTL 3600", StringComparison.Ordinal)
        .Replace("2h         ;", "7200       ;", StringComparison.Ordinal)
        .Replace("15m        ;", "900        ;", StringComparison.Ordinal)
        .Replace("2w         ;", "1209600    ;", StringComparison.Ordinal)
        .Replace("5m )", "300 )", StringComparison.Ordinal)
        .Replace("_sip._tcp   IN", "_sip._tcp 3600 IN", StringComparison.Ordinal)
        .Replace("sip         IN", "sip 3600 IN", StringComparison.Ordinal)
        .Replace("*.apps      IN", "*.apps 3600 IN", StringComparison.Ordinal);

    private static Dictionary<string, string> SampleZones(string transferYaml) => new()
    {
        ["example.com.zone"] = SampleZoneText(),
        ["example.com.gslb.yaml"] = File.ReadAllText(RepositoryFiles.PathOf("zones", "example.com.gslb.yaml")),
        ["transfer.yaml"] = transferYaml,
    };

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Server:GeoIp:0"] = RepositoryFiles.PathOf("geoip"),
    };

    /// <summary>The zone file read by ARSoft.Tools.Net, plus the fallback of each steered name written out by hand.</summary>
    public static List<string> ExpectedSampleRecords()
    {
        using var text = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(SampleZoneText()));
        var records = Zone.ParseMasterFile(DomainName.Parse("example.com"), text).Select(r => r.ToString()).ToList();
        // www (cname mode): the default rule [us, eu, ap] starts with us; api (address mode): fallback [us, eu, ap].
        records.Add(new CNameRecord(DomainName.Parse("www.example.com"), 30, DomainName.Parse("us.www.example.com")).ToString());
        records.Add(new ARecord(DomainName.Parse("api.example.com"), 30, IPAddress.Parse("192.0.2.20")).ToString());
        return records;
    }

    [Fact]
    public async Task Axfr_FromAllowedAddress_IsSoaFramedAndHoldsTheZoneWithSteeredNamesAsTheirFallback()
    {
        await using var server = await TestServer.StartAsync(SampleZones("example.com: { allow: [127.0.0.1/32] }\n"), Settings());

        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.com"));

        var first = DnsMessage.Parse(messages[0]);
        Assert.Equal(ReturnCode.NoError, first.ReturnCode);
        Assert.True(first.IsAuthoritiveAnswer);
        Assert.Equal(0x4242, first.TransactionID);
        Assert.False(first.IsRecursionDesired);
        Assert.All(messages, m => Assert.Equal(0x4242, DnsMessage.Parse(m).TransactionID));
        var records = TransferClient.Records(messages);
        var soa = records[0];
        Assert.StartsWith("example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 2026112701", soa);
        Assert.Equal(soa, records[^1]);
        Assert.Equal(ExpectedSampleRecords().Order(StringComparer.Ordinal), records.Skip(1).Take(records.Count - 2).Append(soa).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(records, r => r.Contains(" IN TXT ", StringComparison.Ordinal) && r.Contains("gslb", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ixfr_IsAnsweredWithTheWholeZone()
    {
        await using var server = await TestServer.StartAsync(SampleZones("example.com: { allow: [127.0.0.1/32] }\n"), Settings());

        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.com", type: RecordType.Ixfr));

        var records = TransferClient.Records(messages);
        Assert.Equal(ExpectedSampleRecords().Count + 1, records.Count);
        Assert.Equal(records[0], records[^1]);
    }

    [Theory]
    [InlineData(2026112701u)]
    [InlineData(2026112702u)]
    public async Task Ixfr_FromSecondaryAsNewAsUs_GetsTheSoaAlone(uint serial)
    {
        await using var server = await TestServer.StartAsync(SampleZones("example.com: { allow: [127.0.0.1/32] }\n"), Settings());

        var reply = await server.Client.TcpAsync(Ixfr(serial));

        var soa = Assert.IsType<SoaRecord>(reply.AnswerRecords.Single());
        Assert.Equal(2026112701u, soa.SerialNumber);
        // The control: an older serial gets the whole zone.
        var messages = await TransferClient.TransferAsync(server.Endpoint, Ixfr(2026112700));
        Assert.Equal(ExpectedSampleRecords().Count + 1, TransferClient.Records(messages).Count);
    }

    /// <summary>IXFR with the secondary's SOA in the authority section (RFC 1995 §3), names compressed to the question.</summary>
    private static byte[] Ixfr(uint serial)
    {
        var bytes = new List<byte>(TransferClient.Axfr("example.com", type: RecordType.Ixfr));
        bytes[9] = 1; // NSCOUNT
        var rdata = new List<byte> { 3, (byte)'n', (byte)'s', (byte)'1', 0xc0, 12, 10 };
        rdata.AddRange("hostmaster"u8.ToArray());
        rdata.AddRange([0xc0, 12]);
        foreach (uint value in new[] { serial, 7200u, 900u, 1209600u, 300u })
        {
            rdata.AddRange([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        }
        bytes.AddRange([0xc0, 12, 0, 6, 0, 1, 0, 0, 0x0e, 0x10, 0, (byte)rdata.Count]);
        bytes.AddRange(rdata);
        return [.. bytes];
    }

    [Fact]
    public async Task Axfr_FromAddressNotAllowed_IsRefused_WhileQueriesAreAnswered()
    {
        await using var server = await TestServer.StartAsync(SampleZones("example.com: { allow: [192.0.2.53/32] }\n"), Settings());

        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.com"));

        Assert.Single(messages);
        Assert.Equal(ReturnCode.Refused, DnsMessage.Parse(messages[0]).ReturnCode);
        Assert.Equal(0, TransferClient.AnswerCount(messages[0]));
        var control = await server.Client.QueryAsync(tcp: true, "example.com", RecordType.Soa);
        Assert.Equal(ReturnCode.NoError, control.ReturnCode);
        Assert.Single(control.AnswerRecords);
    }

    [Fact]
    public async Task Transfers_AreCountedInTheMetrics_AsQueriesOverTcp()
    {
        await using var server = await TestServer.StartAsync(SampleZones("example.com: { allow: [127.0.0.1/32] }\n"), Settings());
        var before = await GslbDns.IntegrationTests.Metrics.MetricsScrape.GetAsync(server.ApiBase!);

        await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.com"));
        await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("static.example.com"));

        var after = await GslbDns.IntegrationTests.Metrics.MetricsScrape.GetAsync(server.ApiBase!);
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(2, Delta("gslbdns_dns_requests_total", ("proto", "tcp"), ("type", "AXFR")));
        Assert.Equal(1, Delta("gslbdns_dns_responses_total", ("proto", "tcp"), ("rcode", "REFUSED")));
    }

    [Fact]
    public async Task Axfr_OfZoneWithoutTransferRule_IsRefused()
    {
        await using var server = await TestServer.StartAsync(SampleZones(""), Settings());

        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.com"));

        Assert.Equal(ReturnCode.Refused, DnsMessage.Parse(messages.Single()).ReturnCode);
    }

    [Fact]
    public async Task Axfr_ForNameBelowTheApex_IsRefused()
    {
        await using var server = await TestServer.StartAsync(SampleZones("example.com: { allow: [127.0.0.1/32] }\n"), Settings());

        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("static.example.com"));

        Assert.Equal(ReturnCode.Refused, DnsMessage.Parse(messages.Single()).ReturnCode);
    }

    [Fact]
    public async Task Axfr_OverUdp_IsNotImplemented_WhileUdpQueriesAreAnswered()
    {
        await using var server = await TestServer.StartAsync(SampleZones("example.com: { allow: [127.0.0.1/32] }\n"), Settings());

        var reply = await server.Client.UdpAsync(TransferClient.Axfr("example.com"));
        var ixfr = await server.Client.UdpAsync(TransferClient.Axfr("example.com", type: RecordType.Ixfr));

        Assert.Equal(ReturnCode.NotImplemented, reply.ReturnCode);
        Assert.Empty(reply.AnswerRecords);
        Assert.Equal(ReturnCode.NotImplemented, ixfr.ReturnCode);
        var control = await server.Client.QueryAsync(tcp: false, "static.example.com", RecordType.A);
        Assert.Equal("192.0.2.1", ((ARecord)control.AnswerRecords.Single()).Address.ToString());
    }

    [Fact]
    public async Task Axfr_OfLargeZone_SpansMessagesUnder64KiB_AndKeepsEveryRecord()
    {
        var zone = LargeZone.Text(200_000);
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.org.zone"] = zone,
            ["transfer.yaml"] = "example.org: { allow: [127.0.0.1/32] }\n",
        });
        var path = Path.Combine(server.ZonesFolder, "example.org.zone");

        var messages = await TransferClient.TransferAsync(server.Endpoint, TransferClient.Axfr("example.org"));

        Assert.True(messages.Count > 10, $"{messages.Count} message(s)");
        Assert.All(messages, m => Assert.True(m.Length <= ushort.MaxValue));
        // Messages well past 16 KiB, where compression pointers can no longer reach new names.
        Assert.Contains(messages, m => m.Length > 40_000);
        var records = TransferClient.Records(messages);
        Assert.Equal(records[0], records[^1]);
        var expected = Zone.ParseMasterFile(DomainName.Parse("example.org"), path).Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(200_000 + LargeZone.FixedRecords, expected.Count);
        Assert.Equal(expected, records.Skip(1).Order(StringComparer.Ordinal));
    }
}

/// <summary>A generated zone of many names, with names in RDATA (CNAME, MX) so compression is exercised across the whole message.</summary>
internal static class LargeZone
{
    /// <summary>SOA, two NS and the name servers' addresses.</summary>
    public const int FixedRecords = 5;

    public static string Text(int records)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("$ORIGIN example.org.");
        text.AppendLine("$TTL 300");
        text.AppendLine("@ IN SOA ns1 hostmaster 1 7200 900 1209600 300");
        text.AppendLine("@ IN NS ns1");
        text.AppendLine("@ IN NS ns2.example.net.");
        text.AppendLine("ns1 IN A 192.0.2.53");
        text.AppendLine("ns1 IN AAAA 2001:db8::53");
        for (int i = 0; i < records; i++)
        {
            switch (i % 4)
            {
                case 0: text.Append("host").Append(i).Append(".dept").Append(i % 97).Append(" IN A 10.").Append((i >> 16) & 255).Append('.').Append((i >> 8) & 255).Append('.').Append(i & 255).AppendLine(); break;
                case 1: text.Append("alias").Append(i).Append(" IN CNAME host").Append(i - 1).Append(".dept").Append((i - 1) % 97).AppendLine(); break;
                case 2: text.Append("mail").Append(i).Append(" IN MX 10 host").Append(i - 2).Append(".dept").Append((i - 2) % 97).AppendLine(); break;
                default: text.Append("v6-").Append(i).Append(".dept").Append(i % 97).Append(" IN AAAA 2001:db8::").Append((i & 0xffff).ToString("x")).AppendLine(); break;
            }
        }
        return text.ToString();
    }
}
