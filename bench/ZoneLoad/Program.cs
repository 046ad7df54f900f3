using System.Diagnostics;
using GslbDns.Protocol;
using GslbDns.Zones;
using GslbDns.Zones.Reading;

// usage: ZoneLoad <zone file> [rounds]
// Each round reads, normalizes, validates and compiles the file, printing per stage the wall time,
// the bytes allocated and the gen0/1/2 collections; the last round is the steady (jitted) one.
string path = args[0];
int rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
string root = Path.GetDirectoryName(Path.GetFullPath(path))!;
string stem = Path.GetFileName(path);
var origin = DnsName.Parse(stem.EndsWith(".zone", StringComparison.Ordinal) ? stem[..^5] + "." : stem + ".");

for (int round = 1; round <= rounds; round++)
{
    Console.WriteLine($"round {round}");
    var read = Stage("read", () => MasterFileReader.Read(path, root, origin));
    var records = Stage("normalize", () => RRsetNormalizer.Normalize(read.Records));
    var problems = Stage("validate", () => ZoneValidator.Validate(read.Origin!, records, stem, normalized: true));
    var zone = Stage("compile", () => ZoneCompiler.Compile(read.Origin!, records, path));
    Console.WriteLine($"  {read.Records.Count} records, {read.Problems.Count + problems.Count} problems, {zone.NodeCount} nodes");
    long before = GC.GetTotalMemory(forceFullCollection: true);
    GC.KeepAlive(zone);
    read = null;
    records = null;
    long after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"  live after compile: {before / 1048576.0:F0} MiB with the records, {after / 1048576.0:F0} MiB compiled zone alone");
    GC.KeepAlive(zone);
}

static T Stage<T>(string name, Func<T> run)
{
    var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    long bytes = GC.GetTotalAllocatedBytes(precise: true);
    var pause = GC.GetTotalPauseDuration();
    var watch = Stopwatch.StartNew();
    var result = run();
    watch.Stop();
    long allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
    Console.WriteLine($"  {name,-10} {watch.Elapsed.TotalSeconds,7:F2} s  {allocated / 1048576.0,8:F0} MiB allocated  " +
        $"GC pause {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F2} s  " +
        $"gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}");
    return result;
}
