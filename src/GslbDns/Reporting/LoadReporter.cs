using System.Text;
using GslbDns.Health;
using GslbDns.Load;
using Microsoft.Extensions.Logging;

namespace GslbDns.Reporting;

/// <summary>
/// The reporter's loop: every interval, one reading of CPU, memory and the HAProxy backend, sent to
/// every server.
/// </summary>
public sealed class LoadReporter(
    ReporterOptions options, IHostLoad host, HaproxyStatsSource? stats, TokenFile token, LoadPusher pusher,
    TimeProvider time, ILogger logger)
{
    private bool _statsFailing, _tokenFailing;

    /// <summary>
    /// How long the first CPU sample spans. CPU use needs two samples; a short first window gets the
    /// first report out soon after start (or a --once run done quickly) yet with a CPU figure.
    /// </summary>
    public TimeSpan FirstWindow => options.Interval < TimeSpan.FromSeconds(1) ? options.Interval : TimeSpan.FromSeconds(1);

    /// <returns>0 when stopped (or, with --once, every server accepted the report), 1 otherwise.</returns>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        ReporterLog.Starting(logger, options.Service, options.Region, Durations.Format(options.Interval), options.Ttl,
            string.Join(", ", options.Targets.Select(t => t.ToString().TrimEnd('/'))), host.Source, stats?.Description ?? "none");
        host.Read();
        try
        {
            await Task.Delay(FirstWindow, time, stopping);
            if (options.Once)
            {
                var outcomes = await ReportAsync(retry: false, stopping);
                return outcomes is not null && outcomes.All(o => o == PushOutcome.Accepted) ? 0 : 1;
            }
            using var timer = new PeriodicTimer(options.Interval, time);
            do
            {
                // Retries of this report stop shortly before the next one is due: that one is fresher.
                using var due = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                using var dueTimer = time.CreateTimer(_ => SafeCancel(due), null, options.Interval * 0.9, Timeout.InfiniteTimeSpan);
                try
                {
                    await ReportAsync(retry: true, due.Token);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    // A stats read still hanging when the next report is due: that report reads again.
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        ReporterLog.Stopped(logger);
        return options.Once ? 1 : 0;
    }

    private static void SafeCancel(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Reads the load and pushes it; null when there was nothing to send.</summary>
    internal async Task<PushOutcome[]?> ReportAsync(bool retry, CancellationToken cancellationToken)
    {
        var secret = token.Read(out bool changed, out string? tokenError);
        if (tokenError is not null && !_tokenFailing) ReporterLog.TokenUnreadable(logger, token.Path, tokenError);
        _tokenFailing = tokenError is not null;
        if (changed) ReporterLog.TokenChanged(logger, token.Path);
        if (secret is null) return null;

        var report = await ReadAsync(cancellationToken);
        if (!report.HasLoad)
        {
            ReporterLog.NothingToReport(logger);
            return null;
        }
        byte[] body = report.ToJson();
        if (logger.IsEnabled(LogLevel.Debug)) ReporterLog.Report(logger, Encoding.UTF8.GetString(body));
        return await pusher.PushAsync(body, secret, retry, cancellationToken);
    }

    internal async Task<ReportBody> ReadAsync(CancellationToken cancellationToken)
    {
        var machine = host.Read();
        HaproxyLoad? backend = null;
        if (stats is not null)
        {
            try
            {
                backend = await stats.ReadAsync(cancellationToken);
                if (_statsFailing) ReporterLog.StatsRecovered(logger, stats.Description, backend.Value.ServersUp, backend.Value.Servers);
                _statsFailing = false;
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
                if (!_statsFailing) ReporterLog.StatsFailed(logger, stats.Description, e.Message);
                _statsFailing = true;
            }
        }
        return new ReportBody(machine.Cpu, machine.Memory, backend?.Connections, options.Capacity ?? backend?.Capacity, options.Ttl);
    }
}
