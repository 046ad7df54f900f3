using GslbDns.Configuration;
using GslbDns.Hosting;
using GslbDns.Commands;
using Microsoft.Extensions.Hosting;

if (CommandVerbs.TryRun(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

if (!CommandLine.TryParse(args, out var settings, out var error))
{
    Console.Error.WriteLine($"gslbdns: {error}");
    return 2;
}

IHost host;
try
{
    host = ServerHost.Build(settings);
}
catch (ServerOptionsException ex)
{
    Console.Error.WriteLine($"gslbdns: {ex.Message}");
    return 2;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"gslbdns: cannot start: {ex.Message}");
    if (ex is ZoneLoadException load) foreach (var problem in load.Problems.Skip(1)) Console.Error.WriteLine(problem);
    return 1;
}

try
{
    // Run returns when SIGTERM or SIGINT stops the host; a failure to start throws.
    await host.RunAsync();
    return 0;
}
catch (ZoneLoadException ex)
{
    Console.Error.WriteLine($"gslbdns: cannot start: {ex.Message}");
    foreach (var problem in ex.Problems) Console.Error.WriteLine(problem);
    return 1;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"gslbdns: cannot start: {ex.Message}");
    return 1;
}
finally
{
    host.Dispose();
}
