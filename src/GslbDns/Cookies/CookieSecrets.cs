using GslbDns.Hosting;
using GslbDns.Zones;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace GslbDns.Cookies;

/// <summary>
/// The 128-bit secrets server cookies are made with (RFC 9018 §4.4): the first signs, every one
/// verifies, so a deployment rolls a new secret in by putting it second on every instance, then
/// first, then dropping the old one. Read from <c>--cookie-secret-file</c> (one hex secret per
/// line, <c>#</c> comments); without the file one random secret per process.
/// </summary>
public sealed class CookieSecrets
{
    public const int SecretLength = 16;

    private readonly byte[][] _secrets;

    private CookieSecrets(byte[][] secrets, string source)
    {
        _secrets = secrets;
        Source = source;
        Keys = secrets.Select(s => new KeyParameter(s)).ToArray();
    }

    /// <summary>Where the secrets came from, for the start-up log ("random", or the file).</summary>
    public string Source { get; }

    public int Count => _secrets.Length;

    /// <summary>One key per secret, signing key first; a <see cref="SipHash"/> keyed once per thread reuses them.</summary>
    internal KeyParameter[] Keys { get; }

    public static CookieSecrets Random() => new([OsRandom.GetBytes(SecretLength)], "random");

    public static CookieSecrets Of(params byte[][] secrets) => new(secrets, "given");

    /// <summary>Reads the file; every bad line is a problem with its file:line.</summary>
    public static (CookieSecrets? Secrets, IReadOnlyList<ZoneProblem> Problems) Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ZoneProblem(new SourceLocation(path, 0), $"cannot be read: {e.Message}")]);
        }
        return ReadText(text, path);
    }

    /// <summary>Reads the file's text; every bad line is a problem with its file:line.</summary>
    public static (CookieSecrets? Secrets, IReadOnlyList<ZoneProblem> Problems) ReadText(string text, string path)
    {
        var problems = new List<ZoneProblem>();
        var secrets = new List<byte[]>();
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            line = line.Trim();
            if (line.Length == 0) continue;
            byte[] secret;
            try
            {
                secret = Convert.FromHexString(line);
            }
            catch (FormatException)
            {
                problems.Add(new ZoneProblem(new SourceLocation(path, i + 1), "a secret is 32 hex digits (128 bits), e.g. from: openssl rand -hex 16"));
                continue;
            }
            if (secret.Length != SecretLength)
            {
                problems.Add(new ZoneProblem(new SourceLocation(path, i + 1), $"a secret is 128 bits (32 hex digits), this one has {secret.Length * 8}"));
                continue;
            }
            secrets.Add(secret);
        }
        if (problems.Count == 0 && secrets.Count == 0)
        {
            problems.Add(new ZoneProblem(new SourceLocation(path, 0), "holds no secret (one hex secret per line; the first signs, all verify)"));
        }
        return problems.Count > 0 ? (null, problems) : (new CookieSecrets([.. secrets], path), []);
    }
}
