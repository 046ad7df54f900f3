using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace GslbDns.Hosting;

/// <summary>Stops the host gracefully on SIGINT, for lifetimes that listen to SIGTERM only.</summary>
internal sealed class InterruptSignal(IHostApplicationLifetime lifetime) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsWindows())
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = true;
                lifetime.StopApplication();
            });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();
}
