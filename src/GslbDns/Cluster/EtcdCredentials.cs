using GslbDns.Zones;

namespace GslbDns.Cluster;

/// <summary>
/// etcd's user and password, read from <c>--cluster-etcd-credentials</c>: two lines,
/// <c>user: NAME</c> and <c>password: SECRET</c> (<c>#</c> starts a comment). Kept in a file, not
/// on the command line, so the password is not in the process list.
/// </summary>
public sealed record EtcdCredentials(string User, string Password)
{
    /// <summary>Reads the file; every bad line is a problem with its file:line.</summary>
    public static (EtcdCredentials? Credentials, IReadOnlyList<ZoneProblem> Problems) Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ZoneProblem(new SourceLocation(path, 0), $"cannot be read: {e.Message}")]);
        }
        var problems = new List<ZoneProblem>();
        string? user = null, password = null;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var at = new SourceLocation(path, i + 1);
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                problems.Add(new ZoneProblem(at, "expected 'user: NAME' or 'password: SECRET'"));
                continue;
            }
            string key = line[..colon].Trim(), value = Unquote(line[(colon + 1)..].Trim());
            switch (key)
            {
                case "user" when user is not null:
                case "password" when password is not null:
                    problems.Add(new ZoneProblem(at, $"'{key}' is given twice"));
                    break;
                case "user" when value.Length == 0:
                case "password" when value.Length == 0:
                    problems.Add(new ZoneProblem(at, $"'{key}' is empty"));
                    break;
                case "user":
                    user = value;
                    break;
                case "password":
                    password = value;
                    break;
                default:
                    problems.Add(new ZoneProblem(at, $"unknown key '{key}'; the file holds 'user' and 'password'"));
                    break;
            }
        }
        if (problems.Count == 0 && user is null) problems.Add(new ZoneProblem(new SourceLocation(path, lines.Length), "no 'user: NAME' line"));
        if (problems.Count == 0 && password is null) problems.Add(new ZoneProblem(new SourceLocation(path, lines.Length), "no 'password: SECRET' line"));
        return problems.Count > 0 ? (null, problems) : (new EtcdCredentials(user!, password!), []);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;

    /// <summary>Never the password.</summary>
    public override string ToString() => $"user {User}";
}
