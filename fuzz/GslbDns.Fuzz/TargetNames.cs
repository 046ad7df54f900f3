namespace GslbDns.Fuzz;

/// <summary>The targets by name; kept apart from <see cref="Targets"/> so naming one runs no server code.</summary>
internal static class TargetNames
{
    public static readonly string[] All = ["query-parser", "pipeline", "master-file", "policy", "geoip"];
}
