using GslbDns.Zones;

namespace GslbDns.Tsig;

/// <summary>
/// Reads <c>--tsig-keys</c> in the format BIND's <c>tsig-keygen</c> writes (and named.conf's
/// <c>key</c> statement):
/// <code>
/// key "transfer-key" {
///     algorithm hmac-sha256;
///     secret "base64...";
/// };
/// </code>
/// Several keys per file; <c>#</c>, <c>//</c> and <c>/* */</c> comments. Every problem is reported
/// with its line; a file with any problem yields no keys.
/// </summary>
public static class TsigKeyFileReader
{
    public static (TsigKeyring? Keys, IReadOnlyList<ZoneProblem> Problems) Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ZoneProblem(new SourceLocation(path, 0), "cannot read the TSIG key file: " + e.Message)]);
        }
        return ReadText(text, path);
    }

    public static (TsigKeyring? Keys, IReadOnlyList<ZoneProblem> Problems) ReadText(string text, string file)
    {
        var problems = new List<ZoneProblem>();
        var tokens = Tokenize(text, file, problems);
        var keys = new List<TsigKey>();
        var seen = new Dictionary<DnsName, int>(WireComparer.Instance);
        int i = 0;
        while (i < tokens.Count)
        {
            var start = tokens[i];
            if (start.Text != "key" || start.Quoted)
            {
                problems.Add(Problem(file, start, $"expected 'key \"name\" {{ ... }};', found '{start.Text}'"));
                SkipStatement(tokens, ref i);
                continue;
            }
            i++;
            if (i >= tokens.Count || tokens[i].Text is "{" or ";" or "}")
            {
                problems.Add(Problem(file, start, "a key needs a name: key \"name\" { algorithm hmac-sha256; secret \"...\"; };"));
                SkipStatement(tokens, ref i);
                continue;
            }
            var nameToken = tokens[i++];
            if (!DnsName.TryParse(nameToken.Text.EndsWith('.') ? nameToken.Text : nameToken.Text + ".", null, out var name, out var nameError))
            {
                problems.Add(Problem(file, nameToken, $"bad key name '{nameToken.Text}': {nameError}"));
            }
            if (i >= tokens.Count || tokens[i].Text != "{" || tokens[i].Quoted)
            {
                problems.Add(Problem(file, nameToken, $"expected '{{' after key \"{nameToken.Text}\""));
                SkipStatement(tokens, ref i);
                continue;
            }
            i++;
            TsigAlgorithm? algorithm = null;
            byte[]? secret = null;
            bool closed = false, algorithmGiven = false, secretGiven = false;
            while (i < tokens.Count)
            {
                var clause = tokens[i];
                if (clause.Text == "}" && !clause.Quoted)
                {
                    i++;
                    closed = true;
                    break;
                }
                i++;
                if (i >= tokens.Count)
                {
                    break;
                }
                var value = tokens[i++];
                if (i >= tokens.Count || tokens[i].Text != ";")
                {
                    problems.Add(Problem(file, value, $"expected ';' after {clause.Text} {value.Text}"));
                }
                else
                {
                    i++;
                }
                switch (clause.Text)
                {
                    case "algorithm":
                        algorithmGiven = true;
                        algorithm = TsigAlgorithm.FromText(value.Text);
                        if (algorithm is null)
                        {
                            problems.Add(Problem(file, value, $"algorithm '{value.Text}' is not supported; use one of {string.Join(", ", TsigAlgorithm.All.Select(a => a.Text))}"));
                        }
                        break;
                    case "secret":
                        secretGiven = true;
                        try
                        {
                            secret = Convert.FromBase64String(value.Text);
                            if (secret.Length == 0) throw new FormatException();
                        }
                        catch (FormatException)
                        {
                            problems.Add(Problem(file, value, $"the secret of key \"{nameToken.Text}\" is not base64 (tsig-keygen writes one)"));
                            secret = null;
                        }
                        break;
                    default:
                        problems.Add(Problem(file, clause, $"unknown clause '{clause.Text}' in key \"{nameToken.Text}\"; expected algorithm or secret"));
                        break;
                }
            }
            if (!closed)
            {
                problems.Add(Problem(file, nameToken, $"key \"{nameToken.Text}\" is not closed with '}};'"));
                break;
            }
            if (i < tokens.Count && tokens[i].Text == ";") i++;
            else problems.Add(Problem(file, tokens[Math.Min(i, tokens.Count) - 1], $"expected ';' after the '}}' of key \"{nameToken.Text}\""));
            if (!algorithmGiven)
            {
                problems.Add(Problem(file, nameToken, $"key \"{nameToken.Text}\" has no algorithm (algorithm hmac-sha256;)"));
            }
            if (!secretGiven)
            {
                problems.Add(Problem(file, nameToken, $"key \"{nameToken.Text}\" has no secret (secret \"base64\";)"));
            }
            if (!seen.TryAdd(name, nameToken.Line))
            {
                problems.Add(Problem(file, nameToken, $"key \"{nameToken.Text}\" is defined twice (first at line {seen[name]})"));
                continue;
            }
            if (algorithm is null || secret is null) continue;
            keys.Add(new TsigKey(name, algorithm, secret));
        }
        return problems.Count == 0 ? (new TsigKeyring(keys), problems) : (null, problems);
    }

    private static void SkipStatement(List<Token> tokens, ref int i)
    {
        int depth = 0;
        while (i < tokens.Count)
        {
            var t = tokens[i++];
            if (t.Quoted) continue;
            if (t.Text == "{") depth++;
            else if (t.Text == "}") depth--;
            else if (t.Text == ";" && depth <= 0) return;
        }
    }

    private static ZoneProblem Problem(string file, Token token, string message) => new(new SourceLocation(file, token.Line), message);

    private readonly record struct Token(string Text, bool Quoted, int Line);

    private static List<Token> Tokenize(string text, string file, List<ZoneProblem> problems)
    {
        var tokens = new List<Token>();
        int line = 1, i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int startLine = line;
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    problems.Add(new ZoneProblem(new SourceLocation(file, startLine), "this '/*' comment is not closed"));
                    return tokens;
                }
                for (int j = i; j < end; j++) if (text[j] == '\n') line++;
                i = end + 2;
            }
            else if (c is '{' or '}' or ';')
            {
                tokens.Add(new Token(c.ToString(), false, line));
                i++;
            }
            else if (c == '"')
            {
                int end = text.IndexOf('"', i + 1);
                if (end < 0 || text.AsSpan(i + 1, end - i - 1).Contains('\n'))
                {
                    problems.Add(new ZoneProblem(new SourceLocation(file, line), "this quoted string is not closed on its line"));
                    return tokens;
                }
                tokens.Add(new Token(text[(i + 1)..end], true, line));
                i = end + 1;
            }
            else
            {
                int start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('{' or '}' or ';' or '"')) i++;
                tokens.Add(new Token(text[start..i], false, line));
            }
        }
        return tokens;
    }
}
