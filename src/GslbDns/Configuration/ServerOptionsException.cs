namespace GslbDns.Configuration;

/// <summary>The options are wrong (a bad value on the command line, in the environment or appsettings.json): exit 2, like a bad command line.</summary>
public sealed class ServerOptionsException : Exception
{
    public ServerOptionsException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
