using System.Collections.Immutable;
using GslbDns.Steering.Policy;
using GslbDns.Zones;

namespace GslbDns.Api;

/// <summary>
/// Reads the API tokens file:
/// <code>
/// tokens:
///   eu-lb: { secret: "long-random-string", load: ["www.example.com/eu"] }
///   ops:   { secret: "another-one", load: ["*/*"], admin: true }
/// </code>
/// Every problem is reported as <c>file:line: message</c>, all in one pass; a file with any problem
/// yields no tokens, so a broken edit never half-applies. Messages name tokens, never secrets.
/// </summary>
public static class ApiTokensReader
{
    public const int MinSecretLength = 16;

    public static (ApiTokenSet? Tokens, IReadOnlyList<ZoneProblem> Problems) ReadText(string text, string file)
    {
        var problems = new List<ZoneProblem>();
        var root = SourceTreeReader.Read(text, file, problems);
        if (problems.Count > 0) return (null, problems);
        if (root is null || root is SourceScalar { IsNull: true }) return (ApiTokenSet.Empty, problems);
        var fields = new SourceFields(problems);
        var tokens = ImmutableArray.CreateBuilder<ApiToken>();
        if (fields.Mapping(root, "the tokens file") is { } top)
        {
            fields.CheckKeys(top, "the tokens file", "tokens");
            if (SourceFields.Get(top, "tokens") is { } list && !(list is SourceScalar { IsNull: true })
                && fields.Mapping(list, "tokens") is { } map)
            {
                var secrets = new Dictionary<string, (string Name, int Line)>(StringComparer.Ordinal);
                var names = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var (key, value) in map.Entries)
                {
                    if (!names.TryAdd(key.Value, key.Location.Line))
                    {
                        fields.Error(key, $"token '{key.Value}' is defined twice (first at line {names[key.Value]})");
                        continue;
                    }
                    if (ReadToken(fields, key, value, secrets) is { } token) tokens.Add(token);
                }
            }
        }
        return problems.Count == 0 ? (new ApiTokenSet(tokens.ToImmutable()), problems) : (null, problems);
    }

    private static ApiToken? ReadToken(SourceFields fields, SourceScalar key, SourceNode value, Dictionary<string, (string Name, int Line)> secrets)
    {
        string name = key.Value;
        string what = $"token '{name}'";
        if (fields.Mapping(value, what) is not { } map) return null;
        int before = fields.Problems.Count;
        fields.CheckKeys(map, what, "secret", "load", "admin");
        string? secret = null;
        if (SourceFields.Get(map, "secret") is not { } secretNode)
        {
            fields.Error(map, $"{what} has no secret");
        }
        else if (fields.Text(secretNode, $"secret of {what}") is { } text)
        {
            if (text.Length < MinSecretLength)
            {
                fields.Error(secretNode, $"secret of {what} is {text.Length} characters; use at least {MinSecretLength} (for example: openssl rand -hex 32)");
            }
            else if (secrets.TryGetValue(text, out var other))
            {
                fields.Error(secretNode, $"secret of {what} is the same as that of token '{other.Name}' (line {other.Line}); give each token its own");
            }
            else
            {
                secrets.Add(text, (name, secretNode.Location.Line));
                secret = text;
            }
        }
        var patterns = ImmutableArray.CreateBuilder<TokenPattern>();
        if (SourceFields.Get(map, "load") is { } loadNode && !(loadNode is SourceScalar { IsNull: true }))
        {
            foreach (var item in fields.List(loadNode, $"load of {what}"))
            {
                if (fields.Text(item, $"a load pattern of {what}") is not { } patternText) continue;
                if (TokenPattern.TryParse(patternText, out var pattern, out var error)) patterns.Add(pattern);
                else fields.Error(item, $"load pattern of {what}: {error}");
            }
        }
        bool admin = false;
        if (SourceFields.Get(map, "admin") is { } adminNode) fields.Boolean(adminNode, $"admin of {what}", out admin);
        if (fields.Problems.Count > before || secret is null) return null;
        return new ApiToken(name, ApiTokenSet.Hash(secret), patterns.ToImmutable(), admin);
    }
}
