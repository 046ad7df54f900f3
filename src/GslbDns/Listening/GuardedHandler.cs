using GslbDns.Observability;
using System.Net;
using GslbDns.Pipeline;
using Microsoft.Extensions.Logging;

namespace GslbDns.Listening;

/// <summary>
/// Calls the query handler for a listener: whatever the handler does (throw, return a length that
/// does not fit), the listener gets a usable length or 0 for "no reply", and the problem is logged
/// at most once per throttle interval.
/// </summary>
internal static class GuardedHandler
{
    public static int Handle(IQueryHandler handler, ReadOnlySpan<byte> query, Span<byte> response, in RequestContext context,
        LogThrottle errors, ILogger logger, IPEndPoint localEndPoint)
    {
        int length;
        try
        {
            length = handler.Handle(query, response, in context);
        }
        catch (Exception e)
        {
            if (errors.ShouldLog(out var suppressed))
            {
                logger.HandlerFailed(e, localEndPoint, suppressed);
            }
            return 0;
        }
        if (length < 0 || length > response.Length)
        {
            if (errors.ShouldLog(out var suppressed))
            {
                logger.HandlerLengthInvalid(localEndPoint, length, response.Length, suppressed);
            }
            return 0;
        }
        return length;
    }
}
