using System.Net;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

/// <summary>Log events of the listeners; event ids 2001-2099 belong to this namespace.</summary>
internal static partial class ListenerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Listening on {Endpoint} (tcp) and {UdpAddresses} (udp, {UdpThreads} thread(s) per address)")]
    public static partial void Listening(this ILogger logger, IPEndPoint endpoint, string udpAddresses, int udpThreads);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "{Endpoint}/udp is a wildcard: bound to each local address instead ({Addresses}) so replies leave from the address queried; addresses added later are not served over UDP until restart")]
    public static partial void WildcardExpanded(this ILogger logger, IPEndPoint endpoint, string addresses);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "{Endpoint}/udp: receive buffer is {Actual} bytes, {Requested} were asked for; raise net.core.rmem_max to absorb larger bursts")]
    public static partial void ReceiveBufferCapped(this ILogger logger, IPEndPoint endpoint, int actual, int requested);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{Endpoint}/udp: receive failed ({Error}); {Suppressed} similar errors not logged")]
    public static partial void UdpReceiveFailed(this ILogger logger, IPEndPoint endpoint, string error, int suppressed);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "{Endpoint}/udp: sending a reply failed ({Error}); {Suppressed} similar errors not logged")]
    public static partial void UdpSendFailed(this ILogger logger, IPEndPoint endpoint, string error, int suppressed);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "{Endpoint}: the query handler failed; the query was dropped; {Suppressed} similar errors not logged")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, IPEndPoint endpoint, int suppressed);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "{Endpoint}: the query handler returned length {Length}, outside 0..{Capacity}; the query was dropped; {Suppressed} similar errors not logged")]
    public static partial void HandlerLengthInvalid(this ILogger logger, IPEndPoint endpoint, int length, int capacity, int suppressed);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "{Endpoint}/tcp: accept failed ({Error}); {Suppressed} similar errors not logged")]
    public static partial void TcpAcceptFailed(this ILogger logger, IPEndPoint endpoint, string error, int suppressed);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "{Endpoint}/tcp: {Limit} connections open, the limit; new connections are closed at once; {Suppressed} similar rejections not logged")]
    public static partial void TcpConnectionLimitReached(this ILogger logger, IPEndPoint endpoint, int limit, int suppressed);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "{Count} TCP connection(s) did not finish within {Timeout} of shutdown and were cut")]
    public static partial void TcpConnectionsCut(this ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "UDP receive thread {Thread} did not stop within {Timeout}")]
    public static partial void UdpThreadStuck(this ILogger logger, string thread, TimeSpan timeout);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Stopping: listeners closed, {Count} open TCP connection(s) get up to {Timeout} to finish")]
    public static partial void Stopping(this ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Stopped listening")]
    public static partial void Stopped(this ILogger logger);
}
