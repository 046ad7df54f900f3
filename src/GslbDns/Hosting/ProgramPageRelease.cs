using GslbDns.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Hosting;

/// <summary>
/// Once the server is up, hands back the program pages only start-up used (<see cref="ProgramPages"/>):
/// with the sample zones the Native AOT binary goes from about 35 to about 20 MiB resident. Waits a
/// few seconds after the host has started, so the first health checks, the first API requests and
/// the start-up's stragglers have run; off the query path, once.
/// </summary>
internal sealed class ProgramPageRelease(IHostApplicationLifetime lifetime, TimeProvider time, ILogger<ProgramPageRelease> logger) : BackgroundService
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task.ConfigureAwait(false);
            }
            await Task.Delay(Delay, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (ProgramPages.Release() is var (before, after))
        {
            Log.ProgramPagesReleased(logger, before / 1024, after / 1024);
        }
    }
}
