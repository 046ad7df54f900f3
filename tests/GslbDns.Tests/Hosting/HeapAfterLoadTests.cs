using System.Runtime.CompilerServices;
using GslbDns.Hosting;

namespace GslbDns.Tests.Hosting;

/// <summary>
/// After a reload the replaced zone is old garbage. The reload asks for a background collection of
/// it; a request the collector may decline ("optimized") was declined often enough that, with
/// reloads allocating nothing small, replaced zones piled up to several times the live size.
/// </summary>
public class HeapAfterLoadTests
{
    [Fact]
    public void The_collection_after_a_reload_frees_the_replaced_data_without_any_other_collection()
    {
        var serving = new object?[1];
        var replaced = Serve(serving);
        // Old, as a zone that served for a while is: full collections put it in the oldest generation.
        GC.Collect();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(replaced.IsAlive);
        serving[0] = null; // the reload swapped it out
        int before = GC.CollectionCount(2);

        HeapAfterLoad.CollectReplacedInBackground();

        // A background collection runs beside this thread: wait for it, generously, without inducing one.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (replaced.IsAlive && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.False(replaced.IsAlive, "the replaced data is still alive after the collection was asked for");
        Assert.True(GC.CollectionCount(2) > before);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Serve(object?[] serving)
    {
        // Large arrays, like a compiled zone's: they live in the large object heap, which only a full collection frees.
        var zone = new byte[16][];
        for (int i = 0; i < zone.Length; i++) zone[i] = new byte[1 << 20];
        serving[0] = zone;
        return new WeakReference(zone);
    }
}
