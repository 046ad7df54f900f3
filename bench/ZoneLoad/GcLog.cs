using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

/// <summary>Each collection of the runtime's own events with its pause (suspension to restart), generation and kind.</summary>
sealed class GcLog : EventListener
{
    public readonly ConcurrentQueue<string> Long = new();
    private DateTime _suspended;
    private string _current = "";

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Informational, (EventKeywords)0x1);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        switch (e.EventName)
        {
            case "GCSuspendEEBegin_V1": _suspended = e.TimeStamp; break;
            case "GCStart_V2":
                _current = $"gen{e.Payload![1]} type{e.Payload[3]} reason{e.Payload[2]}"; break;
            case "GCRestartEEEnd_V1":
                var pause = e.TimeStamp - _suspended;
                if (pause.TotalMilliseconds > 15) Long.Enqueue($"{_current} paused {pause.TotalMilliseconds:F0} ms");
                break;
        }
    }
}
