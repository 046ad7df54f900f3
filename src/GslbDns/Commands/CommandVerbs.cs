using GslbDns.Configuration;

namespace GslbDns.Commands;

/// <summary>
/// The command-line verbs beside serving (<c>check</c>, <c>explain</c>, <c>status</c>, <c>drain</c>, <c>undrain</c>, <c>healthcheck</c>, <c>report</c>, <c>geoip build</c>, <c>--help</c>),
/// in one place so Program only decides between a verb and the server.
/// </summary>
public static class CommandVerbs
{
    /// <summary>Runs the verb <paramref name="args"/> names and returns its exit code; null when they name none (serve).</summary>
    public static int? TryRun(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0) return null;
        switch (args[0])
        {
            case "--help" or "-h" or "help":
                stdout.Write(CommandLine.Usage);
                return 0;
            case "check":
                if (args.Length > 2)
                {
                    stderr.WriteLine("gslbdns check: usage: gslbdns check [DIR]");
                    return 2;
                }
                return CheckCommand.Run(args.Length == 2 ? args[1] : "zones", stdout, stderr, SteeringFilesCheck.Run);
            case "explain":
                return ExplainCommand.Run(args[1..], stdout, stderr);
            case "status":
                return StatusCommand.Run(args[1..], stdout, stderr);
            case "drain" or "undrain":
                return DrainCommand.Run(args[0], args[1..], stdout, stderr);
            case "healthcheck":
                return HealthcheckCommand.Run(args[1..], stdout, stderr);
            case "report":
                return ReportCommand.Run(args[1..], stdout, stderr);
            case "geoip":
                if (args.Length < 2 || args[1] != "build")
                {
                    stderr.WriteLine("usage: gslbdns geoip build SOURCE.json|SOURCE.csv OUT.mmdb");
                    return 2;
                }
                return GeoIpBuildCommand.Run(args[2..], stdout, stderr);
            default:
                return null;
        }
    }
}
