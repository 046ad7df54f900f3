using GslbDns.Hosting;
using Microsoft.Extensions.Hosting;

namespace GslbDns.Tests.Hosting;

public class StartupHeapReleaseTests
{
    [Fact]
    public async Task CollectsTheWholeHeapOnce_AfterTheHostHasStarted()
    {
        using var lifetime = new Lifetime();
        var release = new StartupHeapRelease(lifetime);
        await release.StartAsync(CancellationToken.None);

        // Nothing before ApplicationStarted: the start itself must not pause for a full collection.
        await Task.Delay(100);
        Assert.Equal(0, release.Releases);

        lifetime.Started.Cancel();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (release.Releases == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, release.Releases);
        await release.StopAsync(CancellationToken.None);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        public CancellationTokenSource Started { get; } = new();

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }

        public void Dispose() => Started.Dispose();
    }
}
