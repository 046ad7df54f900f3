using GslbDns.Api;
using GslbDns.Health;
using GslbDns.Observability;
using GslbDns.Steering.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GslbDns.Cluster;

/// <summary>
/// Runs the watcher and the writer beside the query path. Starting waits a moment for the first full
/// read, so the first answers already honour the shared drains, but never fails for want of etcd:
/// an instance that cannot reach it starts with its own state folder's drains and its own checks.
/// </summary>
public sealed class ClusterService : IHostedService, IDisposable
{
    private readonly ClusterSettings _settings;
    private readonly RegionStateStore _state;
    private readonly ILogger<ClusterService> _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _watching = Task.CompletedTask, _writing = Task.CompletedTask;

    public ClusterService(ClusterSettings settings, EtcdCredentials? credentials, RegionStateStore state, ApiDrainStore drains,
        HealthMonitor monitor, ApiHost api, TimeProvider time, ILogger<ClusterService> logger)
    {
        _settings = settings;
        _state = state;
        _logger = logger;
        Keys = new ClusterKeys(settings.Prefix);
        Connection = new EtcdConnection(settings, credentials);
        Mirror = new ClusterMirror(Keys);
        Reachability = new ClusterReachability(settings, time, logger);
        Watcher = new ClusterWatcher(settings, Connection, Mirror, Reachability, state, drains, time, logger);
        Writer = new ClusterWriter(settings, Connection, Keys, Reachability, state, monitor, time, logger, () => api.BaseAddress);
        Drains = new ClusterDrains(settings, Connection, Keys, time);
    }

    public ClusterSettings Settings => _settings;

    public ClusterKeys Keys { get; }

    public EtcdConnection Connection { get; }

    public ClusterMirror Mirror { get; }

    public ClusterReachability Reachability { get; }

    public ClusterWatcher Watcher { get; }

    public ClusterWriter Writer { get; }

    public ClusterDrains Drains { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Log.ClusterStarting(_logger, _settings.InstanceName, _settings.Prefix, string.Join(",", _settings.Endpoints));
        _state.OwnHealthChanged += Writer.Wake;
        _watching = Task.Run(() => Watcher.RunAsync(_stop.Token), CancellationToken.None);
        _writing = Task.Run(() => Writer.RunAsync(_stop.Token), CancellationToken.None);
        await Task.WhenAny(Watcher.FirstSync, Task.Delay(EtcdConnection.CallTimeout, cancellationToken)).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _state.OwnHealthChanged -= Writer.Wake;
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_watching, _writing).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Dispose();
        Reachability.Dispose();
        Connection.Dispose();
    }
}
