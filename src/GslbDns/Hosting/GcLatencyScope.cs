using System.Runtime;

namespace GslbDns.Hosting;

/// <summary>
/// Asks the collector to avoid blocking full collections for a while (a zone reload: seconds of
/// allocation while queries go on), then restores the mode it found. With background GC a full
/// collection then runs beside the query threads instead of stopping them; the young-generation
/// collections, which stay blocking, are short.
/// </summary>
internal readonly struct GcLatencyScope : IDisposable
{
    private readonly GCLatencyMode _previous;

    private GcLatencyScope(GCLatencyMode previous) => _previous = previous;

    public static GcLatencyScope SustainedLowLatency()
    {
        var previous = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        return new GcLatencyScope(previous);
    }

    public void Dispose() => GCSettings.LatencyMode = _previous;
}
