using Microsoft.Extensions.Hosting;

namespace GslbDns.Hosting;

/// <summary>
/// Gives back the memory the start left behind, once the server is up: reading and compiling the
/// zones, policies and GeoIP trees, binding the options and building the API leave megabytes of
/// garbage that a non-concurrent workstation GC with its large first gen0 budget would otherwise
/// never collect (the query path allocates nothing, so nothing else triggers a collection). One
/// aggressive, compacting collection decommits the freed regions, then glibc's arenas are trimmed.
/// A few milliseconds, once, off the start path (after ApplicationStarted, on the thread pool).
/// </summary>
internal sealed class StartupHeapRelease(IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _started;

    /// <summary>Collections made (for tests and diagnostics): 0 before start, 1 after.</summary>
    public int Releases { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = lifetime.ApplicationStarted.Register(() => ThreadPool.UnsafeQueueUserWorkItem(_ => Release(), null));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _started.Dispose();
        return Task.CompletedTask;
    }

    private void Release()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        Releases++;
    }
}
