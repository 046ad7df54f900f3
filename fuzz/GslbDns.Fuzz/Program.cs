using GslbDns.Fuzz;
using SharpFuzz;

// One target per run: AFL++ feeds inputs to it through SharpFuzz's fork server. With a file
// argument instead (fuzz/run.sh --replay), the input is run once, so a crash reproduces under a debugger.
// Nothing of the server's (instrumented) assembly may run before Fuzzer.OutOfProcess.Run has set up
// the coverage map: its module initialiser writes to that map. So the target is only named here,
// and Targets is first touched inside the callback.
if (args.Length < 1 || !TargetNames.All.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: GslbDns.Fuzz TARGET [INPUT]   targets: {string.Join(", ", TargetNames.All)}");
    return 2;
}
string target = args[0];
if (args.Length > 1)
{
    // A folder replays every input in it in one process, in name order, the way the fuzzer ran
    // them (one process for many inputs): a crash that needs state left by earlier inputs shows too.
    var inputs = Directory.Exists(args[1]) ? Directory.GetFiles(args[1]).Order(StringComparer.Ordinal).ToArray() : [args[1]];
    foreach (var input in inputs)
    {
        try
        {
            Targets.Run(target, File.ReadAllBytes(input));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{input}: {e}");
            return 1;
        }
    }
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    Targets.Run(target, memory.ToArray());
});
return 0;
