using System.Diagnostics;
using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

// usage: ZoneLoad <zone file> [rounds] | ZoneLoad --card-cost
// Each round reads, normalizes, validates and compiles the file, printing per stage the wall time,
// the bytes allocated and the gen0/1/2 collections; the last round is the steady (jitted) one.
// A probe thread that wakes every millisecond and runs a little managed code stands in for the
// server's UDP thread: its longest wait per stage is how long a query would have been held (a
// collection suspends it until the collection ends), which is what the reload's p99 is made of.
if (args.Length > 0 && args[0] == "--card-cost")
{
    CardCost.Run();
    return;
}
string path = args[0];
int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
string root = Path.GetDirectoryName(Path.GetFullPath(path))!;
string stem = Path.GetFileName(path);
var origin = DnsName.Parse(stem.EndsWith(".zone", StringComparison.Ordinal) ? stem[..^5] + "." : stem + ".");

var probe = new StallProbe();
// YOUNG_GC=1: a young collection after each stage, timed (see Stage).
bool youngAfterStage = Environment.GetEnvironmentVariable("YOUNG_GC") == "1";
CompiledZone? serving = null; // as in a reload, the zone loaded before stays alive while the next is built
using var gcLog = new GcLog();
for (int round = 1; round <= rounds; round++)
{
    Console.WriteLine($"round {round}");
    // As a reload runs in the server (ZoneReloadService): no blocking full collection while it lasts.
    var previousMode = System.Runtime.GCSettings.LatencyMode;
    System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.SustainedLowLatency;
    var read = Stage("read", () => MasterFileReader.Read(path, root, origin));
    // As the server reads a zone (ZoneFolderReader): the grouping by owner is made once, while normalizing.
    OwnerGroups? owners = null;
    var records = Stage("normalize", () => RRsetNormalizer.Normalize(read.Records, out owners));
    var problems = Stage("validate", () => ZoneValidator.Validate(read.Origin!.Value, records, stem, ref owners));
    // As the server compiles: with the grouping by owner that validation made.
    var zone = Stage("compile", () => ZoneCompiler.Compile(new ZoneFileResult(path, read.Origin, records, problems) { Owners = owners }));
    System.Runtime.GCSettings.LatencyMode = previousMode;
    Console.WriteLine($"  {read.Records.Count} records, {read.Problems.Count + problems.Count} problems, {zone.NodeCount} nodes");
    serving = null;
    long before = GC.GetTotalMemory(forceFullCollection: true);
    GC.KeepAlive(zone);
    read = null;
    records = null;
    owners = null; // the grouping holds the records too
    long after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"  live after compile: {before / 1048576.0:F0} MiB with the records, {after / 1048576.0:F0} MiB compiled zone alone");
    GC.KeepAlive(zone);
    serving = zone;
}
GC.KeepAlive(serving);

T Stage<T>(string name, Func<T> run)
{
    probe.Reset();
    var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    long bytes = GC.GetTotalAllocatedBytes(precise: true);
    var pause = GC.GetTotalPauseDuration();
    var watch = Stopwatch.StartNew();
    var result = run();
    watch.Stop();
    long allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
    Console.WriteLine($"  {name,-10} {watch.Elapsed.TotalSeconds,7:F2} s  {allocated / 1048576.0,8:F0} MiB allocated  " +
        $"GC pause {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F2} s  " +
        $"gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}  " +
        $"probe held up to {probe.Longest.TotalMilliseconds:F0} ms, {probe.Over10} times over 10 ms");
    if (youngAfterStage)
    {
        // What a young collection right now would cost: mostly looking through the cards this
        // stage's large arrays dirtied (their references), which is what a reload's pauses are made of.
        // Then a second one (the cards the first scanned are clean again), an older one, and a young
        // one after that: whether a gen1 collection leaves cards for the next young one to scan.
        string young = Timed(0), again = Timed(0), older = Timed(1), after = Timed(0);
        Console.WriteLine($"  {"",-10} a young collection after it: {young}, a second {again}, " +
            $"a gen1 {older}, a young one after that {after}");
    }
    Thread.Sleep(1500); // the runtime's events reach the listener in batches
    while (gcLog.Long.TryDequeue(out var line)) Console.WriteLine($"      {line}");
    return result;
}

// One collection asked for: its wall time and the time the world was stopped in it. The collector
// may make it a full (background) one when its gen2 budget is spent, which the figure then says;
// a young collection asked for while a background one runs waits for it without stopping anything.
static string Timed(int generation)
{
    int full = GC.CollectionCount(2);
    var paused = GC.GetTotalPauseDuration();
    var watch = Stopwatch.StartNew();
    GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
    double ms = watch.Elapsed.TotalMilliseconds;
    double stopped = (GC.GetTotalPauseDuration() - paused).TotalMilliseconds;
    return (GC.CollectionCount(2) > full ? $"{ms:F1} ms (made a full one)" : $"{ms:F1} ms") + $" [{stopped:F1} stopped]";
}

/// <summary>A thread that wakes every millisecond and records the longest gap between two wake-ups.</summary>
sealed class StallProbe
{
    private long _longest, _over10;

    public StallProbe()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "stall probe" };
        thread.Start();
    }

    public TimeSpan Longest => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _longest));

    public long Over10 => Interlocked.Read(ref _over10);

    public void Reset()
    {
        Interlocked.Exchange(ref _longest, 0);
        Interlocked.Exchange(ref _over10, 0);
    }

    private void Run()
    {
        long tenMs = Stopwatch.Frequency / 100;
        long last = Stopwatch.GetTimestamp();
        var work = new int[16];
        while (true)
        {
            Thread.Sleep(1);
            for (int i = 0; i < work.Length; i++) work[i] += i; // managed code: a suspended runtime holds it here
            long now = Stopwatch.GetTimestamp();
            long gap = now - last;
            last = now;
            if (gap > Interlocked.Read(ref _longest)) Interlocked.Exchange(ref _longest, gap);
            if (gap > tenMs) Interlocked.Increment(ref _over10);
        }
    }
}
