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
public sealed record NotifyAnnouncement(CompiledZone Zone, TsigKey? Key);

/// <summary>
/// Sends NOTIFY (RFC 1996) for one zone to one secondary over UDP: each new serial is announced
/// until the secondary acknowledges it, waiting 1 s, 2 s, 4 s... for a reply, up to
/// <see cref="NotifyTiming.Tries"/> tries (RFC 1996 §3.6 asks for retransmission with backoff).
/// A newer serial arriving during the retries replaces the one being announced.
/// </summary>
internal sealed class NotifyLoop : BackgroundLoop
{
    private readonly IPEndPoint _secondary;
    private readonly NotifyTiming _timing;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<NotifyAnnouncement> _announcements =
        Channel.CreateBounded<NotifyAnnouncement>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

    public NotifyLoop(IPEndPoint secondary, NotifyTiming timing, TimeProvider time, ILogger logger)
    {
        _secondary = secondary;
        _timing = timing;
        _time = time;
        _logger = logger;
    }

    public IPEndPoint Secondary => _secondary;

    /// <summary>The serial last handed to the loop (acknowledged or not).</summary>
    public uint? Serial { get; private set; }

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
        for (int attempt = 1; attempt <= _timing.Tries; attempt++)
        {
            // A fresh ID per try: a late reply to an earlier try still acknowledges the same serial, but is not mistaken for this one.
            ushort id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
            var message = NotifyMessage.Build(zone, id, announcement.Key, _time.GetUtcNow().ToUnixTimeSeconds());
            string problem;
            try
            {
                await socket.SendToAsync(message, SocketFlags.None, _secondary, token).ConfigureAwait(false);
                problem = await AwaitReplyAsync(socket, reply, id, wait, token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                problem = e.SocketErrorCode.ToString();
                await Task.Delay(wait, _time, token).ConfigureAwait(false);
            }
            if (problem.Length == 0)
            {
                Log.NotifyAcknowledged(_logger, zone.Origin.ToString(), zone.Serial, secondary);
                return;
            }
            if (_announcements.Reader.Count > 0) return; // a newer serial takes over
            if (attempt < _timing.Tries) Log.NotifyRetrying(_logger, zone.Origin.ToString(), zone.Serial, secondary, problem, attempt + 1, _timing.Tries);
            wait *= 2;
        }
        Log.NotifyGaveUp(_logger, zone.Origin.ToString(), zone.Serial, secondary, _timing.Tries);
    }

    /// <summary>Waits up to <paramref name="wait"/> for the acknowledgement; "" when it came, else why not.</summary>
    private async Task<string> AwaitReplyAsync(Socket socket, byte[] reply, ushort id, TimeSpan wait, CancellationToken token)
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
                if (NotifyMessage.IsAcknowledgement(reply.AsSpan(0, result.ReceivedBytes), id, out problem)) return "";
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
