using System.Diagnostics;
using System.Net;
using System.Text;
using GslbDns.Parsing;
using GslbDns.Pipeline;
using GslbDns.Protocol;
using GslbDns.Tapping;
using Microsoft.Extensions.Logging.Abstractions;

namespace GslbDns.Tests.Tapping;

/// <summary>The query log's writer thread behind its queue: what happens when the output is slow.</summary>
public sealed class QueryLogWriterTests
{
    /// <summary>An output whose writes wait at a gate, as a stalled disk or a full pipe would.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly MemoryStream _written = new();

        public ManualResetEventSlim Gate { get; } = new(false);

        public ManualResetEventSlim Entered { get; } = new(false);

        public string Text { get { lock (_written) return Encoding.UTF8.GetString(_written.ToArray()); } }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Entered.Set();
            Gate.Wait();
            lock (_written) _written.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static readonly byte[] Query = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'w', (byte)'w', 0, 0, 1, 0, 1];
    private static readonly byte[] Name = [3, (byte)'w', (byte)'w', (byte)'w', 0];

    private static void Observe(IQueryTap tap)
    {
        long now = Stopwatch.GetTimestamp();
        tap.Observe(new QueryOutcome
        {
            Query = Query,
            Response = Query,
            Transport = Transport.Udp,
            Client = ClientAddress.FromIPAddress(IPAddress.Parse("192.0.2.7")),
            ClientPort = 5300,
            Parsed = ParseOutcome.Query,
            QType = RecordType.A,
            QName = Name,
            Rcode = ResponseCode.NoError,
            Started = now,
            Finished = now,
        });
    }

    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task BlockedOutput_FullQueueDropsAndCounts_ObserveNeverWaits()
    {
        var queue = new TapQueue<QueryLogRecord>(4, QueryLogTap.PayloadBytes);
        var tap = new QueryLogTap(queue, sample: 1);
        var output = new GatedStream();
        using var writer = new QueryLogWriter(queue, new QueryLogFile("gated", () => output), 1, TimeProvider.System, NullLogger<QueryLogWriter>.Instance);
        writer.Start();

        // The first record is taken off the queue and its write stalls at the gate.
        Observe(tap);
        Assert.True(output.Entered.Wait(TimeSpan.FromSeconds(10)), "the writer never wrote");

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++) Observe(tap);
        clock.Stop();
        // Four fit the queue; the rest are refused at once. A blocking queue would hang here for good.
        Assert.Equal(996, writer.Dropped);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"1000 observations took {clock.Elapsed.TotalMilliseconds} ms");

        output.Gate.Set();
        await UntilAsync(() => writer.Written == 5, "the queued records to be written");
        writer.Stop();
        Assert.Equal(5, writer.Written);
        Assert.Equal(996, writer.Dropped);
        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.Contains("\"client\":\"192.0.2.7\",\"port\":5300,\"protocol\":\"udp\"", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sample_KeepsExactlyOneInN()
    {
        var queue = new TapQueue<QueryLogRecord>(64, QueryLogTap.PayloadBytes);
        var tap = new QueryLogTap(queue, sample: 4);
        var output = new GatedStream();
        output.Gate.Set();
        using var writer = new QueryLogWriter(queue, new QueryLogFile("sampled", () => output), 4, TimeProvider.System, NullLogger<QueryLogWriter>.Instance);
        writer.Start();
        for (int i = 0; i < 40; i++) Observe(tap);
        await UntilAsync(() => writer.Written == 10, "10 of 40 records");
        writer.Stop();
        Assert.Equal(10, writer.Written);
        Assert.Equal(0, writer.Dropped);
        Assert.Equal(10, output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
