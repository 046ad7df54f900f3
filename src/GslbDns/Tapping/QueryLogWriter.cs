using System.Buffers;
using Microsoft.Extensions.Logging;

namespace GslbDns.Tapping;

/// <summary>
/// The writer side of the query log: takes records off the queue, turns each into a JSON line and
/// writes the lines out in batches (a batch per emptied queue, or every 64 KiB). A write that fails
/// loses its batch, counted in <see cref="TapWriter{TRecord}.Dropped"/>, and the file is opened
/// again before the next one. SIGHUP reopens the file (logrotate).
/// </summary>
public sealed class QueryLogWriter : TapWriter<QueryLogRecord>
{
    private const int BatchBytes = 64 * 1024;

    private readonly QueryLogFile _file;
    private readonly int _sample;
    private readonly TapClock _clock;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _batch = new(BatchBytes + 4096);
    private readonly QueryLogLine _line;
    private System.Runtime.InteropServices.PosixSignalRegistration? _sighup;
    private Stream? _stream;
    private int _batchRecords;
    private int _reopenRequested;
    private bool _failing;

    public QueryLogWriter(TapQueue<QueryLogRecord> queue, QueryLogFile file, int sample, TimeProvider time, ILogger<QueryLogWriter> logger)
        : base(queue, "query log", logger)
    {
        _file = file;
        _sample = sample;
        _clock = new TapClock(time);
        _logger = logger;
        _line = new QueryLogLine(_batch);
    }

    /// <summary>Asks the writer thread to close and reopen the file before its next batch.</summary>
    public void RequestReopen() => Volatile.Write(ref _reopenRequested, 1);

    protected override void Open()
    {
        if (!OperatingSystem.IsWindows() && !_file.IsStandardOutput)
        {
            // Several handlers may watch SIGHUP (zones and tokens reload on it too); each one runs.
            _sighup = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGHUP, _ => RequestReopen());
        }
        EnsureOpen();
        _logger.QueryLogOpened(_file.Target, _sample);
    }

    protected override void Tick()
    {
        _clock.Tick();
        if (Interlocked.Exchange(ref _reopenRequested, 0) == 1)
        {
            WriteBatch();
            try
            {
                _file.Reopen();
                _stream = _file.Open();
                _logger.QueryLogReopened(_file.Target);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _stream = null;
                Failing(ex);
            }
        }
    }

    protected override void Consume(ref QueryLogRecord record, ReadOnlySpan<byte> payload)
    {
        _line.Append(record, payload[..record.NameLength], _clock.ToUtc(record.Started));
        _batchRecords++;
        if (_batch.WrittenCount >= BatchBytes) WriteBatch();
    }

    protected override void Flush() => WriteBatch();

    protected override void Close()
    {
        WriteBatch();
        _sighup?.Dispose();
        _file.Close();
        _logger.QueryLogClosed(_file.Target, Written, Dropped);
    }

    private void WriteBatch()
    {
        if (_batchRecords == 0) return;
        int records = _batchRecords;
        _batchRecords = 0;
        try
        {
            var stream = EnsureOpen() ?? throw new IOException("not open");
            stream.Write(_batch.WrittenSpan);
            stream.Flush();
            CountWritten(records);
            _failing = false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            CountLost(records);
            Failing(ex);
            // Opened again on the next batch: a full disk or a deleted folder may come back.
            _file.Close();
            _stream = null;
        }
        finally
        {
            _batch.ResetWrittenCount();
        }
    }

    private Stream? EnsureOpen()
    {
        if (_stream is not null) return _stream;
        try
        {
            _stream = _file.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Failing(ex);
        }
        return _stream;
    }

    private void Failing(Exception ex)
    {
        if (_failing) return;
        _failing = true;
        _logger.QueryLogFailing(_file.Target, ex.Message);
    }
}
