using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Tapping;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Tests.Tapping;

/// <summary>dnstap to a collector on a Unix socket that goes away and comes back.</summary>
public sealed class DnstapSocketTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gslbdns-dnstap-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// A Frame Streams reader as fstrm's is: READY answered with ACCEPT, then START, data frames
    /// counted, STOP answered with FINISH. One connection at a time.
    /// </summary>
    private sealed class Collector : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly Thread _thread;
        private Socket? _connection;
        private int _frames;

        public Collector(string path)
        {
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen();
            _thread = new Thread(Serve) { IsBackground = true };
            _thread.Start();
        }

        public int Frames => Volatile.Read(ref _frames);

        public volatile bool Stopped;

        private void Serve()
        {
            try
            {
                _connection = _listener.Accept();
                using var stream = new NetworkStream(_connection, ownsSocket: false);
                var (ready, types) = FrameStreamControl.Read(stream);
                Assert.Equal(FrameStreamControl.Ready, ready);
                Assert.Equal([FrameStreamControl.DnstapContentType], types);
                FrameStreamControl.Write(stream, FrameStreamControl.Accept, FrameStreamControl.DnstapContentType);
                Assert.Equal(FrameStreamControl.Start, FrameStreamControl.Read(stream).Type);
                var length = new byte[4];
                while (true)
                {
                    stream.ReadExactly(length);
                    int size = BinaryPrimitives.ReadInt32BigEndian(length);
                    if (size == 0)
                    {
                        // The escape was read already: what follows is the rest of a control frame.
                        stream.ReadExactly(length);
                        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(length)];
                        stream.ReadExactly(body);
                        Assert.Equal(FrameStreamControl.Stop, BinaryPrimitives.ReadUInt32BigEndian(body));
                        FrameStreamControl.Write(stream, FrameStreamControl.Finish, null);
                        Stopped = true;
                        return;
                    }
                    stream.ReadExactly(new byte[size]);
                    Interlocked.Increment(ref _frames);
                }
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                // Closed by the test.
            }
        }

        public void Dispose()
        {
            _listener.Dispose();
            _connection?.Dispose();
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private static readonly byte[] Query = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1];

    private static void Observe(IQueryTap tap)
    {
        long now = Stopwatch.GetTimestamp();
        tap.Observe(new QueryOutcome
        {
            Query = Query,
            Response = Query,
            Transport = Transport.Udp,
            Client = ClientAddress.FromIPAddress(IPAddress.Loopback),
            ClientPort = 5300,
            Server = ClientAddress.FromIPAddress(IPAddress.Loopback),
            ServerPort = 53,
            Parsed = ParseOutcome.Query,
            QType = RecordType.A,
            QName = [0],
            Rcode = ResponseCode.NoError,
            Started = now,
            Finished = now,
        });
    }

    private static async Task UntilAsync(Func<bool> condition, string what, Action? meanwhile = null)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for {what}");
            meanwhile?.Invoke();
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task CollectorGoesAwayAndComesBack_DropsAreCounted_StreamingResumes()
    {
        var path = Path.Combine(_folder, "dnstap.sock");
        var queue = new TapQueue<DnstapRecord>(64, DnstapTap.PayloadBytes);
        var tap = new DnstapTap(queue);
        using var writer = new DnstapWriter(queue, new FrameStreamSocket(path, FrameStreamControl.DnstapContentType, TimeProvider.System),
            new DnstapEncoder("test", "test"), TimeProvider.System, NullLogger<DnstapWriter>.Instance);

        var first = new Collector(path);
        writer.Start();
        // Queries before the writer has connected are dropped; once it has, they reach the collector.
        await UntilAsync(() => writer.Written > 0, "a query written", () => Observe(tap));
        await UntilAsync(() => first.Frames == 2 * writer.Written, "AUTH_QUERY and AUTH_RESPONSE of each at the collector");

        // The collector goes away: the next writes fail, and queries are counted as dropped.
        first.Dispose();
        File.Delete(path);
        long written = writer.Written;
        await UntilAsync(() => writer.Dropped > 0, "a query dropped without the collector", () => Observe(tap));
        Assert.Equal(written, writer.Written);

        // It comes back: the writer reconnects on its own (backoff of at most 5 s) and streams again.
        using var second = new Collector(path);
        await UntilAsync(() => second.Frames >= 2, "frames at the new collector", () => Observe(tap));
        Assert.True(writer.Written > written);

        writer.Stop();
        await UntilAsync(() => second.Stopped, "STOP at the collector, answered with FINISH");
        Assert.Equal(2 * (writer.Written - written), second.Frames);
    }
}
