using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;
using GslbDns.Transfer;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>NOTIFY (RFC 1996) to a secondary played by a UDP socket of the test.</summary>
public sealed class NotifyTests
{
    private static readonly byte[] Secret = Convert.FromBase64String("nbokF4dJW9doNrToqEmlVrsg79UQXFcQQEsJUqFRY9U=");

    private static string Zone(uint serial) => $"""
        $ORIGIN example.com.
        $TTL 3600
        @ IN SOA ns1 hostmaster {serial} 7200 900 1209600 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        static IN A 192.0.2.1
        """;

    /// <summary>The secondary: receives NOTIFY messages and, when told to, acknowledges them.</summary>
    private sealed class Secondary : IDisposable
    {
        public UdpClient Socket { get; } = new(new IPEndPoint(IPAddress.Loopback, 0));

        public int Port => ((IPEndPoint)Socket.Client.LocalEndPoint!).Port;

        public async Task<UdpReceiveResult> ReceiveAsync(TimeSpan? within = null)
        {
            using var cts = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
            return await Socket.ReceiveAsync(cts.Token);
        }

        /// <summary>RFC 1996 §4.7: the reply echoes ID, opcode and question, QR and AA set, NOERROR.</summary>
        public Task AcknowledgeAsync(UdpReceiveResult notify) => SendAsync(notify, Reply(notify.Buffer));

        /// <summary>The acknowledgement signed as RFC 8945 §4.3.1 asks: over the NOTIFY's MAC.</summary>
        public Task AcknowledgeSignedAsync(UdpReceiveResult notify, string keyName, byte[] secret) =>
            SendAsync(notify, TestTsig.SignReply(Reply(notify.Buffer), keyName, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), TestTsig.Read(notify.Buffer)!.Mac));

        public async Task SendAsync(UdpReceiveResult notify, byte[] reply) => await Socket.SendAsync(reply, notify.RemoteEndPoint);

        /// <summary>Header and question copied; QR and AA set, counts cut to the question.</summary>
        public static byte[] Reply(byte[] notify)
        {
            var message = DnsMessage.Parse(notify);
            int questionEnd = 12 + QueryBuilder.EncodeName(message.Questions[0].Name.ToString()).Length + 4;
            var reply = notify[..questionEnd];
            reply[2] |= 0x84;
            reply[3] = 0;
            reply[6] = reply[7] = reply[8] = reply[9] = reply[10] = reply[11] = 0;
            return reply;
        }

        public void Dispose() => Socket.Dispose();
    }

    private static uint SerialOf(byte[] notify) =>
        ((SoaRecord)DnsMessage.Parse(notify).AnswerRecords.Single(r => r.RecordType == RecordType.Soa)).SerialNumber;

    [Fact]
    public async Task Notify_IsSentAtStart_AndOnASerialChange_SignedWithTheZonesKey()
    {
        using var secondary = new Secondary();
        var keyFolder = TempFolder.Create();
        var keys = Path.Combine(keyFolder, "keys.conf");
        await File.WriteAllTextAsync(keys, $"key \"transfer-key\" {{ algorithm hmac-sha256; secret \"{Convert.ToBase64String(Secret)}\"; }};\n");
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone(1),
            ["transfer.yaml"] = $"example.com:\n  allow: [127.0.0.1/32]\n  tsig: [transfer-key]\n  notify: [\"127.0.0.1:{secondary.Port}\"]\n",
        }, new Dictionary<string, string?> { ["Server:TsigKeys"] = keys });

        var atStart = await secondary.ReceiveAsync();
        var message = DnsMessage.Parse(atStart.Buffer);
        Assert.Equal(OperationCode.Notify, message.OperationCode);
        Assert.True(message.IsAuthoritiveAnswer);
        Assert.Equal("example.com.", message.Questions.Single().Name.ToString());
        Assert.Equal(RecordType.Soa, message.Questions.Single().RecordType);
        Assert.Equal(1u, SerialOf(atStart.Buffer));
        Assert.True(TestTsig.Verifies(atStart.Buffer, "transfer-key", Secret, priorMac: null));
        await secondary.AcknowledgeSignedAsync(atStart, "transfer-key", Secret);

        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.com.zone"), Zone(2));

        var changed = await secondary.ReceiveAsync();
        Assert.Equal(2u, SerialOf(changed.Buffer));
        Assert.True(TestTsig.Verifies(changed.Buffer, "transfer-key", Secret, priorMac: null));
        await secondary.AcknowledgeSignedAsync(changed, "transfer-key", Secret);
        Directory.Delete(keyFolder, recursive: true);
    }

    [Fact]
    public async Task SignedNotify_UnsignedOrWronglySignedAck_IsNoAcknowledgement_RetriedUntilASignedOne()
    {
        using var secondary = new Secondary();
        var keyFolder = TempFolder.Create();
        var keys = Path.Combine(keyFolder, "keys.conf");
        await File.WriteAllTextAsync(keys, $"key \"transfer-key\" {{ algorithm hmac-sha256; secret \"{Convert.ToBase64String(Secret)}\"; }};\n");
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone(3),
            ["transfer.yaml"] = $"example.com:\n  tsig: [transfer-key]\n  notify: [\"127.0.0.1:{secondary.Port}\"]\n",
        }, new Dictionary<string, string?> { ["Server:TsigKeys"] = keys });
        var loop = server.Services.GetRequiredService<NotifyService>().Loops.Single();

        // Try 1 answered unsigned, try 2 with a MAC of another secret, try 3 rightly: three NOTIFYs in all.
        await secondary.AcknowledgeAsync(await secondary.ReceiveAsync());
        await secondary.AcknowledgeSignedAsync(await secondary.ReceiveAsync(), "transfer-key", "not the shared secret"u8.ToArray());
        var third = await secondary.ReceiveAsync();
        Assert.Equal(3u, SerialOf(third.Buffer));
        await secondary.AcknowledgeSignedAsync(third, "transfer-key", Secret);
        await Poll.UntilAsync(() => Task.FromResult(loop.Acknowledged == 3), "the signed acknowledgement to count");

        // Acknowledged: no fourth try (it would have come 4 s after the third).
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await secondary.Socket.ReceiveAsync(quiet.Token));
        Assert.Equal(3, loop.Sent);
        Assert.Equal(2, loop.Rejected);
        Directory.Delete(keyFolder, recursive: true);
    }

    [Fact]
    public async Task UnsignedNotify_AckWithAnotherIdOrQuestion_IsIgnored_AndTheRetryGoesOn()
    {
        using var secondary = new Secondary();
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone(7),
            ["transfer.yaml"] = $"example.com:\n  allow: [127.0.0.1/32]\n  notify: [\"127.0.0.1:{secondary.Port}\"]\n",
        });
        var loop = server.Services.GetRequiredService<NotifyService>().Loops.Single();

        var first = await secondary.ReceiveAsync();
        var wrongId = Secondary.Reply(first.Buffer);
        wrongId[1] ^= 0x5a;
        await secondary.SendAsync(first, wrongId);
        var otherQuestion = Secondary.Reply(first.Buffer);
        otherQuestion[^3] = 2; // QTYPE NS instead of SOA
        await secondary.SendAsync(first, otherQuestion);
        var retried = await secondary.ReceiveAsync();
        Assert.Equal(7u, SerialOf(retried.Buffer));
        Assert.Null(loop.Acknowledged);
        // The same reply with the right ID and question is taken: no more tries.
        await secondary.AcknowledgeAsync(retried);
        await Poll.UntilAsync(() => Task.FromResult(loop.Acknowledged == 7), "the acknowledgement");
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await secondary.Socket.ReceiveAsync(quiet.Token));
        Assert.Equal(2, loop.Sent);
        Assert.Equal(2, loop.Rejected);
    }

    [Fact]
    public async Task Notify_IsRetried_UntilTheSecondaryAcknowledges()
    {
        using var secondary = new Secondary();
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone(5),
            ["transfer.yaml"] = $"example.com:\n  allow: [127.0.0.1/32]\n  notify: [\"127.0.0.1:{secondary.Port}\"]\n",
        });

        var ignored = await secondary.ReceiveAsync();
        var retried = await secondary.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(5u, SerialOf(retried.Buffer));
        Assert.NotEqual(DnsMessage.Parse(ignored.Buffer).TransactionID, DnsMessage.Parse(retried.Buffer).TransactionID);
        Assert.Null(TestTsig.Read(retried.Buffer));
        await secondary.AcknowledgeAsync(retried);

        // Acknowledged: nothing more for this serial (the next try would have come within 2 s).
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await secondary.Socket.ReceiveAsync(quiet.Token));
        // The control: a serial change is announced again.
        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.com.zone"), Zone(6));
        Assert.Equal(6u, SerialOf((await secondary.ReceiveAsync()).Buffer));
    }

    [Fact]
    public async Task ReloadWithoutSerialChange_SendsNoNotify()
    {
        using var secondary = new Secondary();
        await using var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone(9),
            ["transfer.yaml"] = $"example.com:\n  allow: [127.0.0.1/32]\n  notify: [\"127.0.0.1:{secondary.Port}\"]\n",
        });
        await secondary.AcknowledgeAsync(await secondary.ReceiveAsync());
        var loader = server.Services.GetRequiredService<ZoneCatalogLoader>();
        int generation = loader.Generation;

        await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.com.zone"), Zone(9) + "\nother IN A 192.0.2.7\n");
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > generation), "a reload");

        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await secondary.Socket.ReceiveAsync(quiet.Token));
        // The control: the reload did happen, the new name is served.
        var control = await server.Client.QueryAsync(tcp: false, "other.example.com", RecordType.A);
        Assert.Equal(ReturnCode.NoError, control.ReturnCode);
        Assert.Single(control.AnswerRecords);
    }
}
