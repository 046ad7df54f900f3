using System.Diagnostics;

/// <summary>
/// What a young collection pays for references stored into old objects, without a zone: six million
/// array slots, each pointing at one of 64 buffers of 1 MiB (as the compiled zone's records point into
/// its byte arenas), are written, then young collections are timed. The JIT's write barrier marks a
/// card only for a reference to a young object, so the first young collection finds nothing to scan.
/// The Native AOT barrier compares the target with an ephemeral range that, with the collector's
/// regions, spans the whole heap: every store marks its card, and the next young collection scans
/// every slot written since the last one. That is what a reload's pauses in the AOT build are made of.
/// </summary>
internal static class CardCost
{
    private struct Slot
    {
        public byte[] Buffer;
        public int Offset;
    }

    public static void Run()
    {
        const int Slots = 6_000_000;
        var buffers = new byte[64][];
        for (int i = 0; i < buffers.Length; i++) buffers[i] = new byte[1 << 20];
        var slots = new Slot[Slots];
        GC.Collect();
        Console.WriteLine($"young collection before any store: {Young():F2} ms");
        for (int i = 0; i < slots.Length; i++) slots[i] = new Slot { Buffer = buffers[i & 63], Offset = i };
        Console.WriteLine($"after {Slots:N0} stores of references to old buffers: {Young():F2} ms, then {Young():F2} ms");
        for (int i = 0; i < slots.Length / 10; i++) slots[i].Buffer = buffers[(i + 1) & 63];
        Console.WriteLine($"after a tenth of them again: {Young():F2} ms");
        var numbers = new long[Slots * 2];
        for (int i = 0; i < numbers.Length; i++) numbers[i] = i;
        Console.WriteLine($"after as many bytes of numbers (no references): {Young():F2} ms");
        GC.KeepAlive(slots);
        GC.KeepAlive(numbers);
    }

    private static double Young()
    {
        var watch = Stopwatch.StartNew();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        return watch.Elapsed.TotalMilliseconds;
    }
}
