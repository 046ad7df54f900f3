using System.Runtime;

namespace GslbDns.Hosting;

/// <summary>
/// What the collector is asked to do once zones are loaded. Reading a big zone leaves its garbage
/// (the file's text, records, scratch) spread through the heap; left alone, the pages it used stay
/// resident and a million-record zone looked like twice its live size.
/// </summary>
internal static class HeapAfterLoad
{
    /// <summary>
    /// Before the listeners start nothing is answering, so a full compacting collection that also
    /// hands the freed pages back (GCCollectionMode.Aggressive) costs no query anything.
    /// </summary>
    public static void CompactBeforeServing()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>
    /// After a reload the replaced zone is garbage in the oldest generation, which nothing would
    /// collect soon. A background collection frees it beside the query threads, without the pause
    /// of a blocking one (the server runs with concurrent GC for this). Forced, not Optimized: an
    /// optimized request is the collector's to decline, and it declined most of them; with a reload
    /// that makes no small garbage nothing else starts a collection soon, and replaced
    /// million-record zones piled up (1.5 GiB resident after six reloads of a 230 MiB zone).
    /// </summary>
    public static void CollectReplacedInBackground() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false, compacting: false);
}
