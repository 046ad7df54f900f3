using Microsoft.Extensions.Logging;

namespace GslbDns.Observability;

/// <summary>Every log message of the server, source-generated, each with its own event id.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Query handling failed; answered SERVFAIL")]
    public static partial void QueryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Loaded zone {Zone} serial {Serial}, {Records} records from {File}")]
    public static partial void ZoneLoaded(ILogger logger, string zone, uint serial, int records, string file);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Zone file {File} rejected, last good version keeps serving:\n{Problems}")]
    public static partial void ZoneRejected(ILogger logger, string file, string problems);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Zone {Zone} removed ({File} deleted)")]
    public static partial void ZoneRemoved(ILogger logger, string zone, string file);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Reloading zones ({Reason})")]
    public static partial void Reloading(ILogger logger, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Zone folder watcher error; falling back to the next full rescan")]
    public static partial void WatcherError(ILogger logger, Exception exception);
}
