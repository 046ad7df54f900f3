using GslbDns.Configuration;
using GslbDns.Hosting;
using GslbDns.Steering.Explain;
using GslbDns.Steering.Geo;
using GslbDns.Zones.Reading;
using Microsoft.Extensions.Hosting;

if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
{
    Console.Out.Write(CommandLine.Usage);
    return 0;
}
if (args.Length > 0 && args[0] == "check")
{
    if (args.Length > 2)
    {
        Console.Error.WriteLine("gslbdns check: usage: gslbdns check [DIR]");
        return 2;
    }
    return CheckCommand.Run(args.Length == 2 ? args[1] : "zones", Console.Out, Console.Error, SteeringFilesCheck.Run);
}
if (args.Length > 0 && args[0] == "explain")
{
    return ExplainCommand.Run(args[1..], Console.Out, Console.Error);
}
if (args.Length > 0 && args[0] == "geoip")
{
    if (args.Length < 2 || args[1] != "build")
    {
        Console.Error.WriteLine("usage: gslbdns geoip build SOURCE.json|SOURCE.csv OUT.mmdb");
        return 2;
    }
    return GeoIpBuildCommand.Run(args[2..], Console.Out, Console.Error);
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
catch (Exception ex)
{
    Console.Error.WriteLine($"gslbdns: cannot start: {ex.Message}");
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
