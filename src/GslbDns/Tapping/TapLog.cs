using Microsoft.Extensions.Logging;

namespace GslbDns.Tapping;

/// <summary>Log events of the query log and dnstap; event ids 2100-2199 belong to this namespace.</summary>
internal static partial class TapLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Error, Message = "{Writer}: unexpected failure; the record is lost; {Suppressed} similar errors not logged")]
    public static partial void WriterFailed(this ILogger logger, Exception exception, string writer, int suppressed);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Query log: writing to {Target}, 1 in {Sample} queries")]
    public static partial void QueryLogOpened(this ILogger logger, string target, int sample);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Query log: cannot write to {Target} ({Error}); records are dropped and counted until it can")]
    public static partial void QueryLogFailing(this ILogger logger, string target, string error);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Query log: reopened {Target} (SIGHUP)")]
    public static partial void QueryLogReopened(this ILogger logger, string target);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "Query log: closed {Target}; {Written} written, {Dropped} dropped")]
    public static partial void QueryLogClosed(this ILogger logger, string target, long written, long dropped);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "dnstap: writing to {Target}")]
    public static partial void DnstapOpened(this ILogger logger, string target);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Information, Message = "dnstap: connected to the collector at {Target}")]
    public static partial void DnstapConnected(this ILogger logger, string target);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "dnstap: no collector at {Target} ({Error}); messages are dropped and counted, retrying with backoff")]
    public static partial void DnstapCollectorAbsent(this ILogger logger, string target, string error);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Error, Message = "dnstap: cannot write to {Target} ({Error}); messages are dropped and counted")]
    public static partial void DnstapFailing(this ILogger logger, string target, string error);

    [LoggerMessage(EventId = 2114, Level = LogLevel.Information, Message = "dnstap: closed {Target}; {Written} written, {Dropped} dropped, {Clipped} without their full bytes")]
    public static partial void DnstapClosed(this ILogger logger, string target, long written, long dropped, long clipped);
}
