using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using GslbDns.Protocol;
using GslbDns.Transfer;
using GslbDns.Tsig;
using GslbDns.Zones;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GslbDns.Tests.Transfer;

/// <summary>
/// One NOTIFY loop against a secondary played by a UDP socket, on a fake clock: the retry schedule
/// (1 s, 2 s, 4 s...) runs only when the test advances time, so every try is counted exactly.
/// </summary>
public sealed class NotifyLoopTests : IDisposable
{
    private static readonly TsigKey Key = new(DnsName.Parse("transfer-key."), TsigAlgorithm.HmacSha256, Convert.FromBase64String("nbokF4dJW9doNrToqEmlVrsg79UQXFcQQEsJUqFRY9U="));
    private static readonly TsigKey WrongSecret = Key with { Secret = [9, 9, 9, 9, 9, 9, 9, 9] };

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly UdpClient _secondary = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly RecordingLogger _logger = new();
    private readonly CancellationTokenSource _stop = new();

    private IPEndPoint SecondaryEndpoint => (IPEndPoint)_secondary.Client.LocalEndPoint!;

    private static CompiledZone Zone(uint serial)
    {
        var origin = DnsName.Parse("example.com.");
        var read = MasterFileReader.ReadText($"""
            $ORIGIN example.com.
            $TTL 3600
            @ IN SOA ns1 hostmaster {serial} 7200 900 1209600 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            """, "example.com.zone", origin);
        Assert.Empty(read.Problems);
        return ZoneCompiler.Compile(origin, read.Records, "example.com.zone");
    }

    private NotifyLoop Start(uint serial, params TsigKey[] keys)
    {
        var loop = new NotifyLoop(SecondaryEndpoint, NotifyTiming.Default, _time, _logger, () => new TsigKeyring(keys));
        loop.Announce(new NotifyAnnouncement(Zone(serial), keys.Select(k => k.Name).ToImmutableArray()));
        loop.Start(_stop.Token);
        return loop;
    }

    private async Task<UdpReceiveResult> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await _secondary.ReceiveAsync(cts.Token);
    }

    /// <summary>RFC 1996 §4.7: header and question echoed with QR and AA; signed over the NOTIFY's MAC when a key is given.</summary>
    private async Task ReplyAsync(UdpReceiveResult notify, TsigKey? key = null, long? timeSigned = null, Action<byte[]>? damage = null)
    {
        int questionEnd = 12 + DnsName.Parse("example.com.").Wire.Length + 4;
        var reply = new byte[512];
        notify.Buffer.AsSpan(0, questionEnd).CopyTo(reply);
        reply[2] |= 0x84;
        reply[3] = 0;
        reply.AsSpan(6, 6).Clear();
        int length = questionEnd;
        if (key is not null)
        {
            // The NOTIFY's TSIG ends with MAC, original ID, error and an empty other data.
            var notifyMac = notify.Buffer.AsSpan(notify.Buffer.Length - 6 - 32, 32).ToArray();
            length = TsigSigner.Sign(reply, length, key, notifyMac, timeSigned ?? _time.GetUtcNow().ToUnixTimeSeconds(), TsigError.NoError, [], false, new byte[64]);
        }
        var bytes = reply[..length];
        damage?.Invoke(bytes);
        await _secondary.SendAsync(bytes, notify.RemoteEndPoint);
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>No NOTIFY within a real half second after the fake clock ran far past every retry.</summary>
    private async Task AssertQuietAsync()
    {
        _time.Advance(TimeSpan.FromHours(1));
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _secondary.ReceiveAsync(quiet.Token));
    }

    [Fact]
    public async Task SignedNotify_RetriesThroughUnsignedWrongMacAndLateAcks_StopsAtTheValidOne_LoggingTheRejectionOnce()
    {
        var loop = Start(10, Key);

        await ReplyAsync(await ReceiveAsync());                                   // try 1: unsigned
        await UntilAsync(() => loop.Rejected == 1, "the unsigned reply to be rejected");
        _time.Advance(TimeSpan.FromSeconds(1));
        await ReplyAsync(await ReceiveAsync(), WrongSecret);                      // try 2: MAC of another secret
        await UntilAsync(() => loop.Rejected == 2, "the wrongly signed reply to be rejected");
        _time.Advance(TimeSpan.FromSeconds(2));
        var third = await ReceiveAsync();
        await ReplyAsync(third, Key, timeSigned: _time.GetUtcNow().ToUnixTimeSeconds() - 3600); // try 3: outside the fudge
        await UntilAsync(() => loop.Rejected == 3, "the late reply to be rejected");
        _time.Advance(TimeSpan.FromSeconds(4));
        await ReplyAsync(await ReceiveAsync(), Key);                              // try 4: right
        await UntilAsync(() => loop.Acknowledged == 10, "the acknowledgement");

        await AssertQuietAsync();
        Assert.Equal(4, loop.Sent);
        Assert.Equal(3, loop.Rejected);
        Assert.Equal(1, _logger.Count(2513));
        Assert.Equal(0, _logger.Count(2512));
        // The control: the loop is alive, a new serial goes out at once.
        loop.Announce(new NotifyAnnouncement(Zone(11), [Key.Name]));
        var next = await ReceiveAsync();
        // The loop counts a try once its send has returned, which can be after the datagram arrived here.
        await UntilAsync(() => loop.Sent == 5, "the fifth try to be counted");
        await ReplyAsync(next, Key);
        await UntilAsync(() => loop.Acknowledged == 11, "the second acknowledgement");
    }

    [Fact]
    public async Task SignedNotify_AReplySignedOverAnotherMac_IsNotItsAcknowledgement()
    {
        var loop = Start(12, Key);

        // A valid MAC but with a byte of the header changed after signing (the ID it covers stays).
        await ReplyAsync(await ReceiveAsync(), Key, damage: bytes => bytes[3] |= 0x10);
        await UntilAsync(() => loop.Rejected == 1, "the damaged reply to be rejected");
        _time.Advance(TimeSpan.FromSeconds(1));
        await ReplyAsync(await ReceiveAsync(), Key);
        await UntilAsync(() => loop.Acknowledged == 12, "the acknowledgement");
        Assert.Equal(2, loop.Sent);
    }

    [Fact]
    public async Task UnsignedNotify_ReplyWithAnotherId_IsIgnored_ThenGivesUpAfterFiveTries()
    {
        var loop = Start(20);

        for (int attempt = 1; attempt <= 5; attempt++)
        {
            await ReplyAsync(await ReceiveAsync(), damage: bytes => BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(bytes) + 1)));
            await UntilAsync(() => loop.Rejected == attempt, $"reply {attempt} to be rejected");
            _time.Advance(TimeSpan.FromSeconds(1 << (attempt - 1)));
        }

        await UntilAsync(() => _logger.Count(2512) == 1, "the loop to give up");
        await AssertQuietAsync();
        Assert.Equal(5, loop.Sent);
        Assert.Null(loop.Acknowledged);
        Assert.Equal(1, _logger.Count(2513));
        Assert.Equal(1, _logger.Count(2511)); // the first retry warns, the others are debug detail
        Assert.Equal(3, _logger.Count(2514));
    }

    [Fact]
    public async Task SignedNotify_WhoseKeysAreAllGone_IsNotSentUnsigned()
    {
        var loop = new NotifyLoop(SecondaryEndpoint, NotifyTiming.Default, _time, _logger, () => TsigKeyring.Empty);
        loop.Announce(new NotifyAnnouncement(Zone(30), [Key.Name]));
        loop.Start(_stop.Token);

        await UntilAsync(() => _logger.Count(2515) == 1, "the missing key to be logged");
        await AssertQuietAsync();
        Assert.Equal(0, loop.Sent);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _secondary.Dispose();
        _stop.Dispose();
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<int> _events = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_events) _events.Add(eventId.Id);
        }

        public int Count(int eventId)
        {
            lock (_events) return _events.Count(e => e == eventId);
        }
    }
}
