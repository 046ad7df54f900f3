using Microsoft.Extensions.Hosting;

namespace GslbDns.Hosting;

/// <summary>
/// Returns the JIT's freed working memory to the system every <see cref="Period"/>: the runtime
/// compiles tier-ups for many minutes after start (every reload runs code that reaches its call
/// count later), glibc keeps what each compilation freed in whichever arena it used, and resident
/// memory creeps up with no live allocation behind it. Off the query path, on a timer.
/// </summary>
internal sealed class NativeHeapTrimmer(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    /// <summary>Trims done since start (for tests and diagnostics).</summary>
    public int Trims { get; private set; }

    private PeriodicTimer? _timer;

    // The timer starts with the host, not when ExecuteAsync first runs on the thread pool, so the
    // first trim is one period after start whatever the scheduling.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(Period, time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _timer!;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!NativeHeap.Trim()) return;
                Trims++;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
