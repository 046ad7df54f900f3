using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using GslbDns.Hosting;
using GslbDns.Observability;
using GslbDns.Tsig;
using GslbDns.Zones;
using Microsoft.Extensions.Logging;

namespace GslbDns.Transfer;

/// <summary>A serial of a zone to announce to one secondary.</summary>
/// <param name="Keys">The zone's keys as <c>transfer.yaml</c> lists them: each try is signed with the first one in force then; empty sends it unsigned.</param>
public sealed record NotifyAnnouncement(CompiledZone Zone, ImmutableArray<DnsName> Keys);

/// <summary>
/// Sends NOTIFY (RFC 1996) for one zone to one secondary over UDP: each new serial is announced
/// until the secondary acknowledges it, waiting 1 s, 2 s, 4 s... for a reply, up to
/// <see cref="NotifyTiming.Tries"/> tries (RFC 1996 §3.6 asks for retransmission with backoff).
/// A newer serial arriving during the retries replaces the one being announced. A reply that is not
/// an acknowledgement (another ID or question, unsigned or wrongly signed when ours was signed) is
/// ignored: the tries go on, and it is logged once per serial, not once per try.
/// </summary>
internal sealed class NotifyLoop : BackgroundLoop
{
    private readonly IPEndPoint _secondary;
    private readonly NotifyTiming _timing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<NotifyAnnouncement> _announcements =
        Channel.CreateBounded<NotifyAnnouncement>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

    private readonly Func<TsigKeyring> _keys;

    /// <param name="keys">The TSIG keys in force, read at each try (a key file reload applies to the next one).</param>
    public NotifyLoop(IPEndPoint secondary, NotifyTiming timing, TimeProvider time, ILogger logger, Func<TsigKeyring> keys)
    {
        _keys = keys;
        _secondary = secondary;
        _timing = timing;
        _time = time;
        _logger = logger;
    }

    public IPEndPoint Secondary => _secondary;

    /// <summary>The serial last handed to the loop (acknowledged or not).</summary>
    public uint? Serial { get; private set; }

    /// <summary>NOTIFY messages sent, every try counted (tests count the retries).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Replies from the secondary that were not an acknowledgement.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>The serial last acknowledged; null before the first acknowledgement.</summary>
    public uint? Acknowledged { get; private set; }

    private int _sent;
    private int _rejected;

    public void Announce(NotifyAnnouncement announcement)
    {
        Serial = announcement.Zone.Serial;
        _announcements.Writer.TryWrite(announcement);
    }

    protected override async Task RunAsync(CancellationToken token)
    {
        try
        {
            while (true)
            {
                var announcement = await _announcements.Reader.ReadAsync(token).ConfigureAwait(false);
                await AnnounceAsync(announcement, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the zone or the secondary left the configuration, or the server is stopping.
        }
    }

    private async Task AnnounceAsync(NotifyAnnouncement announcement, CancellationToken token)
    {
        var zone = announcement.Zone;
        string secondary = _secondary.ToString();
        using var socket = new Socket(_secondary.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(_secondary.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
        var reply = new byte[4096];
        var wait = _timing.FirstWait;
        bool rejectionLogged = false, retryLogged = false;
        for (int attempt = 1; attempt <= _timing.Tries; attempt++)
        {
            TsigKey? key = null;
            if (!announcement.Keys.IsEmpty)
            {
                var keys = _keys();
                key = announcement.Keys.Select(keys.Find).FirstOrDefault(k => k is not null);
                if (key is null)
                {
                    // Unsigned would be refused by a secondary that wants the key, and is not what the rule says.
                    Log.NotifyKeyMissing(_logger, zone.Origin.ToString(), secondary, string.Join(", ", announcement.Keys));
                    return;
                }
            }
            // A fresh ID per try: a late reply to an earlier try is not mistaken for this one's.
            ushort id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
            var sent = NotifyMessage.Build(zone, id, key, _time.GetUtcNow().ToUnixTimeSeconds());
            string problem;
            try
            {
                await socket.SendToAsync(sent.Message, SocketFlags.None, _secondary, token).ConfigureAwait(false);
                Interlocked.Increment(ref _sent);
                problem = await AwaitReplyAsync(socket, reply, sent, wait, rejected =>
                {
                    Interlocked.Increment(ref _rejected);
                    if (rejectionLogged) return;
                    rejectionLogged = true;
                    Log.NotifyReplyRejected(_logger, zone.Origin.ToString(), zone.Serial, secondary, rejected);
                }, token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                problem = e.SocketErrorCode.ToString();
                await Task.Delay(wait, _time, token).ConfigureAwait(false);
            }
            if (problem.Length == 0)
            {
                Acknowledged = zone.Serial;
                Log.NotifyAcknowledged(_logger, zone.Origin.ToString(), zone.Serial, secondary);
                return;
            }
            if (_announcements.Reader.Count > 0) return; // a newer serial takes over
            if (attempt < _timing.Tries)
            {
                // The first retry of a serial is a warning; the rest are detail (the give-up is an error).
                if (!retryLogged) Log.NotifyRetrying(_logger, zone.Origin.ToString(), zone.Serial, secondary, problem, attempt + 1, _timing.Tries);
                else Log.NotifyRetryingAgain(_logger, zone.Origin.ToString(), zone.Serial, secondary, problem, attempt + 1, _timing.Tries);
                retryLogged = true;
            }
            wait *= 2;
        }
        Log.NotifyGaveUp(_logger, zone.Origin.ToString(), zone.Serial, secondary, _timing.Tries);
    }

    /// <summary>Waits up to <paramref name="wait"/> for the acknowledgement; "" when it came, else why not.</summary>
    /// <param name="rejected">Called with the reason for each reply from the secondary that is not an acknowledgement.</param>
    private async Task<string> AwaitReplyAsync(Socket socket, byte[] reply, SentNotify sent, TimeSpan wait, Action<string> rejected, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, token);
        string problem = "no reply";
        try
        {
            while (true)
            {
                var from = new IPEndPoint(_secondary.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
                var result = await socket.ReceiveFromAsync(reply, SocketFlags.None, from, linked.Token).ConfigureAwait(false);
                if (!result.RemoteEndPoint.Equals(_secondary)) continue;
                if (NotifyMessage.IsAcknowledgement(reply.AsSpan(0, result.ReceivedBytes), sent, _time.GetUtcNow().ToUnixTimeSeconds(), out problem)) return "";
                rejected(problem);
            }
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return problem;
        }
        catch (SocketException e)
        {
            // ICMP port unreachable shows up as a reset on the next receive; wait out the rest of the try.
            await Task.Delay(wait, _time, token).ConfigureAwait(false);
            return e.SocketErrorCode.ToString();
        }
    }
}

/// <summary>How NOTIFY retries: the first wait for a reply, doubled after each try.</summary>
public sealed record NotifyTiming(TimeSpan FirstWait, int Tries)
{
    public static readonly NotifyTiming Default = new(TimeSpan.FromSeconds(1), 5);
}
