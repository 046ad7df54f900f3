using GslbDns.Zones;

namespace GslbDns.Configuration;

/// <summary>The zones could not be served at start: the folder is missing or a zone is invalid.</summary>
public sealed class ZoneLoadException : Exception
{
    public ZoneLoadException(string message, IReadOnlyList<ZoneProblem> problems)
        : base(message)
    {
        Problems = problems;
    }

    public IReadOnlyList<ZoneProblem> Problems { get; }
}
