using Microsoft.Extensions.Logging;

namespace GslbDns.Tapping;

/// <summary>
/// The writer side of dnstap: each queued query becomes an AUTH_QUERY and an AUTH_RESPONSE frame
/// (only the first for a message dropped unanswered) on a Frame Streams output. A query counts as
/// written once the output has taken its frames; while the output is closed (no collector yet, a
/// collector gone, a failed file) queries are dropped and counted.
/// </summary>
public sealed class DnstapWriter : TapWriter<DnstapRecord>
{
    private readonly FrameStreamOutput _output;
    private readonly DnstapEncoder _encoder;
    private readonly TapClock _clock;
    private readonly ILogger _logger;
    private long _pending;
    private long _clipped;
    private bool _failing;

    public DnstapWriter(TapQueue<DnstapRecord> queue, FrameStreamOutput output, DnstapEncoder encoder, TimeProvider time,
        ILogger<DnstapWriter> logger)
        : base(queue, "dnstap", logger)
    {
        _output = output;
        _encoder = encoder;
        _clock = new TapClock(time);
        _logger = logger;
    }

    /// <summary>Queries written without the bytes that did not fit a queue slot (large TCP replies).</summary>
    public long Clipped => Volatile.Read(ref _clipped);

    protected override void Open()
    {
        _logger.DnstapOpened(_output.Target);
        Tick();
    }

    protected override void Tick()
    {
        _clock.Tick();
        if (_output.IsOpen) return;
        bool opened;
        try
        {
            opened = _output.TryOpen();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _output.Abandon();
            Failing(ex.Message);
            return;
        }
        if (opened)
        {
            _failing = false;
            if (_output is FrameStreamSocket) _logger.DnstapConnected(_output.Target);
        }
        else if (_output is FrameStreamSocket socket && socket.LastError is { } error && !_failing)
        {
            _failing = true;
            _logger.DnstapCollectorAbsent(_output.Target, error);
        }
    }

    protected override void Consume(ref DnstapRecord record, ReadOnlySpan<byte> payload)
    {
        if (!_output.IsOpen)
        {
            CountLost(1);
            return;
        }
        if (record.QueryLength == DnstapRecord.NotKept || record.ResponseLength == DnstapRecord.NotKept) _clipped++;
        int queryLength = Math.Max(record.QueryLength, 0);
        var query = payload[..queryLength];
        var response = payload.Slice(queryLength, Math.Max(record.ResponseLength, 0));
        var queryTime = DnstapEncoder.Time.Of(_clock.ToUtc(record.Started));
        var responseTime = DnstapEncoder.Time.Of(_clock.ToUtc(record.Finished));
        try
        {
            _output.WriteFrame(_encoder.Encode(DnstapEncoder.AuthQuery, record, query, queryTime, default));
            if (record.ResponseLength != 0)
                _output.WriteFrame(_encoder.Encode(DnstapEncoder.AuthResponse, record, response, queryTime, responseTime));
            _pending++;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Lost(ex, 1);
        }
    }

    protected override void Flush()
    {
        if (!_output.IsOpen || _pending == 0) return;
        try
        {
            _output.Flush();
            CountWritten(_pending);
            _pending = 0;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Lost(ex, 0);
        }
    }

    protected override void Close()
    {
        Flush();
        try
        {
            _output.Close();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Failing(ex.Message);
        }
        _logger.DnstapClosed(_output.Target, Written, Dropped, Clipped);
    }

    /// <summary>The output failed: what it held unflushed is lost with the record at hand.</summary>
    private void Lost(Exception ex, long current)
    {
        CountLost(_pending + current);
        _pending = 0;
        _output.Abandon();
        Failing(ex.Message);
    }

    private void Failing(string error)
    {
        if (_failing) return;
        _failing = true;
        _logger.DnstapFailing(_output.Target, error);
    }
}
