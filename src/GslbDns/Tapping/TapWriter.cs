using GslbDns.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Tapping;

/// <summary>
/// The writer side of a tap: one thread of its own that empties a <see cref="TapQueue{TRecord}"/>,
/// formats each record and writes it out (a file, stdout, a socket). Everything slow or fallible
/// happens here, so the query threads only ever copy bytes into a slot.
/// <para>
/// The thread polls: when the queue is empty it sleeps a little (longer the longer it stays empty)
/// instead of being woken, because waking it would put a signal, and with it a lock or a system
/// call, on the query path. Records therefore reach the output within a few milliseconds, not at once.
/// </para>
/// </summary>
public abstract class TapWriter<TRecord> : IHostedService, IDisposable where TRecord : struct
{
    private const int LongestIdleMilliseconds = 16;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly string _threadName;
    private readonly ILogger _logger;
    private readonly LogThrottle _failures = new(TimeSpan.FromMinutes(1));
    private Thread? _thread;
    private volatile bool _stopping;
    private long _written;
    private long _lost;

    protected TapWriter(TapQueue<TRecord> queue, string threadName, ILogger logger)
    {
        Queue = queue;
        _threadName = threadName;
        _logger = logger;
    }

    public TapQueue<TRecord> Queue { get; }

    /// <summary>Records written out.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>Records lost: refused by a full queue, or taken while the output could not be written.</summary>
    public long Dropped => Queue.Dropped + Volatile.Read(ref _lost);

    protected void CountWritten(long records) => Interlocked.Add(ref _written, records);

    protected void CountLost(long records) => Interlocked.Add(ref _lost, records);

    /// <summary>Starts the writer thread (idempotent).</summary>
    public void Start()
    {
        if (_thread is not null) return;
        _thread = new Thread(Run) { IsBackground = true, Name = _threadName };
        _thread.Start();
    }

    /// <summary>Writes what is queued, closes the output and ends the thread.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join(StopTimeout);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    // Registered before the listeners, so it stops after them: the last answers are in the queue.
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Stop();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the output; called on the writer thread before the first record.</summary>
    protected abstract void Open();

    /// <summary>Formats one record (and maybe writes a batch); the slot is released when this returns.</summary>
    protected abstract void Consume(ref TRecord record, ReadOnlySpan<byte> payload);

    /// <summary>The queue ran empty: write out what is buffered.</summary>
    protected abstract void Flush();

    /// <summary>Called between batches and while idle: reopen a file, reconnect a socket.</summary>
    protected virtual void Tick()
    {
    }

    /// <summary>Writes a closing mark if the format has one, and closes the output.</summary>
    protected abstract void Close();

    private void Run()
    {
        Guarded(Open);
        int idle = 1;
        while (true)
        {
            Guarded(Tick);
            bool any = false;
            while (Queue.TryPeek(out long ticket))
            {
                try
                {
                    Consume(ref Queue.RecordAt(ticket), Queue.PayloadAt(ticket));
                }
                catch (Exception ex)
                {
                    CountLost(1);
                    Failed(ex);
                }
                Queue.Release(ticket);
                any = true;
            }
            if (any)
            {
                Guarded(Flush);
                idle = 1;
                continue;
            }
            // Stopping is honoured only on an empty queue, so every record queued before it is written.
            if (_stopping) break;
            Thread.Sleep(idle);
            idle = Math.Min(idle * 2, LongestIdleMilliseconds);
        }
        Guarded(Close);
    }

    /// <summary>
    /// The outputs handle their own I/O errors; this catches what they did not expect, because an
    /// exception escaping a thread of its own would end the whole server.
    /// </summary>
    private void Guarded(Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
    }

    private void Failed(Exception ex)
    {
        if (_failures.ShouldLog(out int suppressed)) _logger.WriterFailed(ex, _threadName, suppressed);
    }
}
