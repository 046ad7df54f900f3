using Microsoft.Extensions.Logging;

namespace GslbDns.Reporting;

/// <summary>The log messages of <c>gslbdns report</c>, source-generated, event ids 1900-1999.</summary>
internal static partial class ReporterLog
{
    [LoggerMessage(EventId = 1900, Level = LogLevel.Information, Message = "Reporting load of {Service} region {Region} every {Interval} (ttl {Ttl}s) to {Targets}; CPU and memory from {HostSource}; connections from {Stats}")]
    public static partial void Starting(ILogger logger, string service, string region, string interval, int ttl, string targets, string hostSource, string stats);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "{Target}: reports accepted")]
    public static partial void Accepted(ILogger logger, string target);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "{Target}: unreachable ({Reason}); retried with backoff, logged again when it accepts reports")]
    public static partial void Unreachable(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Information, Message = "{Target}: reachable again, reports accepted after {Downtime}")]
    public static partial void Recovered(ILogger logger, string target, string downtime);

    [LoggerMessage(EventId = 1904, Level = LogLevel.Error, Message = "{Target}: report rejected with {Status}: {Error}; check --service, --region and the token (sent again next interval)")]
    public static partial void Rejected(ILogger logger, string target, int status, string error);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Debug, Message = "Report {Body}")]
    public static partial void Report(ILogger logger, string body);

    [LoggerMessage(EventId = 1906, Level = LogLevel.Warning, Message = "HAProxy stats {Stats} unreadable ({Reason}); reporting without connections until they are")]
    public static partial void StatsFailed(ILogger logger, string stats, string reason);

    [LoggerMessage(EventId = 1907, Level = LogLevel.Information, Message = "HAProxy stats {Stats} readable again: {Up} of {Servers} server(s) up")]
    public static partial void StatsRecovered(ILogger logger, string stats, int up, int servers);

    [LoggerMessage(EventId = 1908, Level = LogLevel.Warning, Message = "Token file {File} unreadable or empty ({Reason}); still using the token read before")]
    public static partial void TokenUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 1909, Level = LogLevel.Information, Message = "Token file {File} changed; sending the new token")]
    public static partial void TokenChanged(ILogger logger, string file);

    [LoggerMessage(EventId = 1910, Level = LogLevel.Warning, Message = "No load reading this interval (CPU, memory and HAProxy stats all unavailable); nothing sent")]
    public static partial void NothingToReport(ILogger logger);

    [LoggerMessage(EventId = 1911, Level = LogLevel.Information, Message = "Stopped")]
    public static partial void Stopped(ILogger logger);
}
