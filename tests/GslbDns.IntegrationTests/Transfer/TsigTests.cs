using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>TSIG (RFC 8945) on transfers and queries over real sockets, with a client-side signer of the tests' own.</summary>
public sealed class TsigTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Convert.FromBase64String("nbokF4dJW9doNrToqEmlVrsg79UQXFcQQEsJUqFRY9U=");
    private const string KeyName = "transfer-key";
    private string _keyFolder = "";
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _keyFolder = TempFolder.Create();
        var keys = Path.Combine(_keyFolder, "keys.conf");
        await File.WriteAllTextAsync(keys, $$"""
            # written by tsig-keygen
            key "{{KeyName}}" {
                algorithm hmac-sha256;
                secret "{{Convert.ToBase64String(Secret)}}";
            };
            key "other-key" { algorithm hmac-sha512; secret "c2Vjb25kIHNlY3JldA=="; }; // not allowed for the zone
            """);
        _server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = AxfrTests.SampleZoneText(),
            ["example.com.gslb.yaml"] = File.ReadAllText(RepositoryFiles.PathOf("zones", "example.com.gslb.yaml")),
            ["example.org.zone"] = LargeZone.Text(8000),
            ["transfer.yaml"] = "example.com:\n  tsig: [transfer-key]\nexample.org:\n  tsig: [transfer-key]\n",
        }, new Dictionary<string, string?>
        {
            ["Server:GeoIp:0"] = RepositoryFiles.PathOf("geoip"),
            ["Server:TsigKeys"] = keys,
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_keyFolder, recursive: true);
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task Axfr_SignedWithAllowedKey_IsTransferred_EveryMessageSignedAndChained()
    {
        var request = TestTsig.Sign(TransferClient.Axfr("example.com"), KeyName, Secret, Now, out var requestMac);

        var messages = await TransferClient.TransferAsync(_server.Endpoint, request);

        Assert.Equal(AxfrTests.ExpectedSampleRecords().Count + 1, TransferClient.Records(messages).Count);
        var prior = requestMac;
        for (int i = 0; i < messages.Count; i++)
        {
            Assert.True(TestTsig.Verifies(messages[i], KeyName, Secret, prior, timersOnly: i > 0), $"message {i} does not verify");
            prior = TestTsig.Read(messages[i])!.Mac;
        }
    }

    [Fact]
    public async Task Axfr_OverSeveralMessages_SignsTheFirstOverTheRequestMac_AndChainsTheRest()
    {
        var request = TestTsig.Sign(TransferClient.Axfr("example.org"), KeyName, Secret, Now, out var requestMac);

        var messages = await TransferClient.TransferAsync(_server.Endpoint, request);

        Assert.True(messages.Count >= 3, $"{messages.Count} message(s)");
        Assert.Equal(8000 + LargeZone.FixedRecords + 1, TransferClient.Records(messages).Count);
        Assert.True(TestTsig.Verifies(messages[0], KeyName, Secret, requestMac));
        for (int i = 1; i < messages.Count; i++)
        {
            // RFC 8945 §5.3.1: the previous message's MAC, this message, and the timers only.
            Assert.True(TestTsig.Verifies(messages[i], KeyName, Secret, TestTsig.Read(messages[i - 1])!.Mac, timersOnly: true), $"message {i} does not verify");
            Assert.False(TestTsig.Verifies(messages[i], KeyName, Secret, TestTsig.Read(messages[i - 1])!.Mac, timersOnly: false));
        }
    }

    [Fact]
    public async Task Axfr_WithoutTsig_IsRefused_WhenTheZoneRequiresAKey()
    {
        var messages = await TransferClient.TransferAsync(_server.Endpoint, TransferClient.Axfr("example.com"));

        Assert.Equal(ReturnCode.Refused, DnsMessage.Parse(messages.Single()).ReturnCode);
    }

    [Fact]
    public async Task Axfr_SignedWithKeyNotListedForTheZone_IsRefused()
    {
        var other = Convert.FromBase64String("c2Vjb25kIHNlY3JldA==");
        // The other key is HMAC-SHA512 on the server; signed here as SHA-256 it is BADKEY (wrong algorithm).
        var request = TestTsig.Sign(TransferClient.Axfr("example.com"), "other-key", other, Now, out _);

        var reply = (await TransferClient.TransferAsync(_server.Endpoint, request)).Single();

        Assert.Equal(9, TransferClient.Rcode(reply));
        Assert.Equal(17, TestTsig.Read(reply)!.Error);
    }

    [Fact]
    public async Task UnknownKey_IsNotAuthWithBadKey_Unsigned()
    {
        var request = TestTsig.Sign(TransferClient.Axfr("example.com"), "no-such-key", Secret, Now, out _);

        var reply = (await TransferClient.TransferAsync(_server.Endpoint, request)).Single();

        Assert.Equal(9, TransferClient.Rcode(reply)); // NOTAUTH
        var tsig = TestTsig.Read(reply)!;
        Assert.Equal(17, tsig.Error); // BADKEY
        Assert.Empty(tsig.Mac);
    }

    [Fact]
    public async Task WrongMac_IsNotAuthWithBadSig_Unsigned()
    {
        var request = TestTsig.Sign(TransferClient.Axfr("example.com"), KeyName, "wrong secret"u8.ToArray(), Now, out _);

        var reply = (await TransferClient.TransferAsync(_server.Endpoint, request)).Single();

        Assert.Equal(9, TransferClient.Rcode(reply));
        var tsig = TestTsig.Read(reply)!;
        Assert.Equal(16, tsig.Error); // BADSIG
        Assert.Empty(tsig.Mac);
    }

    [Fact]
    public async Task TimeOutsideTheFudge_IsNotAuthWithBadTime_SignedWithTheServersTime()
    {
        long signed = Now - 3600;
        var request = TestTsig.Sign(TransferClient.Axfr("example.com"), KeyName, Secret, signed, out var mac);

        var reply = (await TransferClient.TransferAsync(_server.Endpoint, request)).Single();

        Assert.Equal(9, TransferClient.Rcode(reply));
        var tsig = TestTsig.Read(reply)!;
        Assert.Equal(18, tsig.Error); // BADTIME
        Assert.Equal(signed, tsig.TimeSigned);
        long serverTime = ((long)tsig.Other[0] << 40) | ((long)tsig.Other[1] << 32) | ((long)tsig.Other[2] << 24) | ((long)tsig.Other[3] << 16) | ((long)tsig.Other[4] << 8) | tsig.Other[5];
        Assert.InRange(serverTime, Now - 5, Now + 5);
        Assert.True(TestTsig.Verifies(reply, KeyName, Secret, mac));
    }

    [Fact]
    public async Task SignedSoaQuery_OverUdp_IsAnsweredAndSigned()
    {
        var request = TestTsig.Sign(new QueryBuilder { Id = 7 }.Build("example.com", (ushort)RecordType.Soa), KeyName, Secret, Now, out var mac);

        var reply = await _server.Client.UdpRawAsync(request) ?? throw new TimeoutException("no UDP reply");

        Assert.Equal(0, TransferClient.Rcode(reply));
        Assert.Equal(1, TransferClient.AnswerCount(reply));
        Assert.True(TestTsig.Verifies(reply, KeyName, Secret, mac));
    }

    [Fact]
    public async Task SignedQueryOverUdp_WithBadTimeOrUnknownKey_IsNotAuth_WithTheTsigErrorOfRfc8945()
    {
        var soa = new QueryBuilder { Id = 9 }.Build("example.com", (ushort)RecordType.Soa);
        var late = TestTsig.Sign(soa, KeyName, Secret, Now - 1000, out var lateMac);
        var unknown = TestTsig.Sign(soa, "no-such-key", Secret, Now, out _);

        var badTime = await _server.Client.UdpRawAsync(late) ?? throw new TimeoutException("no UDP reply");
        var badKey = await _server.Client.UdpRawAsync(unknown) ?? throw new TimeoutException("no UDP reply");

        Assert.Equal(9, TransferClient.Rcode(badTime));
        Assert.Equal(0, TransferClient.AnswerCount(badTime));
        Assert.Equal(18, TestTsig.Read(badTime)!.Error);
        Assert.True(TestTsig.Verifies(badTime, KeyName, Secret, lateMac));
        Assert.Equal(9, TransferClient.Rcode(badKey));
        Assert.Equal(17, TestTsig.Read(badKey)!.Error);
        Assert.Empty(TestTsig.Read(badKey)!.Mac);
    }

    [Fact]
    public async Task TsigNotLastInAdditional_IsFormErr()
    {
        var signed = TestTsig.Sign(new QueryBuilder { Id = 8 }.Build("example.com", (ushort)RecordType.Soa), KeyName, Secret, Now, out _);
        // An OPT record after the TSIG.
        var message = signed.Concat(new byte[] { 0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0 }).ToArray();
        message[11]++;

        var reply = await _server.Client.UdpRawAsync(message) ?? throw new TimeoutException("no UDP reply");

        Assert.Equal(1, TransferClient.Rcode(reply));
        var control = await _server.Client.QueryAsync(tcp: false, "static.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, control.ReturnCode);
    }
}
