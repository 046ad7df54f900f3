namespace GslbDns.Zones;

/// <summary>
/// One <see cref="LookupResult"/> per thread, reused by every query the thread answers. A result
/// holds its answer chain by value (sixteen owners and RRsets, over a kilobyte), so making a new
/// one per query meant zeroing all of it, a few percent of the query path.
/// </summary>
internal static class LookupScratch
{
    [ThreadStatic]
    private static Holder? t_holder;

    /// <summary>The thread's result, empty; hand it back with <see cref="LookupResult.Release"/>.</summary>
    public static ref LookupResult Begin()
    {
        var holder = t_holder ??= new Holder();
        ref var result = ref holder.Result;
        // A query that threw before its Release must not leak into the next one.
        if (result.Count != 0 || result.Zone is not null) result.Release();
        return ref result;
    }

    private sealed class Holder
    {
        public LookupResult Result;
    }
}
