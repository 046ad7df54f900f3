using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using GslbDns.Steering.State;

namespace GslbDns.Api;

/// <summary>
/// <c>service/region</c> a token may report load for; either part may be <c>*</c>. The service is a
/// DNS name (compared case-insensitively), the region compared as the policy spells it.
/// </summary>
/// <param name="Service">Null for any service.</param>
/// <param name="Region">Null for any region.</param>
public readonly record struct TokenPattern(DnsName? Service, string? Region)
{
    public bool Matches(RegionKey key) =>
        (Service is not { } service || service.Equals(key.Service))
        && (Region is null || string.Equals(Region, key.Region, StringComparison.Ordinal));

    public static bool TryParse(string text, out TokenPattern pattern, out string error)
    {
        pattern = default;
        error = "";
        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            error = $"'{text}' is not service/region (for example www.example.com/eu, */eu or www.example.com/*)";
            return false;
        }
        string service = text[..slash], region = text[(slash + 1)..];
        DnsName? name = null;
        if (service != "*")
        {
            if (service.Contains('*', StringComparison.Ordinal) || !DnsName.TryParse(service.TrimEnd('.') + ".", null, out var parsed, out var nameError))
            {
                error = $"'{text}': bad service name '{service}'" + (service.Contains('*', StringComparison.Ordinal) ? " ('*' stands alone for any service)" : "");
                return false;
            }
            name = parsed;
        }
        if (region != "*" && (region.Contains('*', StringComparison.Ordinal) || region.Any(char.IsWhiteSpace)))
        {
            error = $"'{text}': bad region name '{region}' ('*' stands alone for any region)";
            return false;
        }
        pattern = new TokenPattern(name, region == "*" ? null : region);
        return true;
    }

    public override string ToString() => $"{(Service is { } service ? service.ToString().TrimEnd('.') : "*")}/{Region ?? "*"}";
}

/// <summary>One API token: its name (what logs and sources show), the SHA-256 of its secret, what it may do.</summary>
public sealed class ApiToken(string name, byte[] secretHash, ImmutableArray<TokenPattern> load, bool admin)
{
    public string Name { get; } = name;

    internal byte[] SecretHash { get; } = secretHash;

    public ImmutableArray<TokenPattern> Load { get; } = load;

    /// <summary>May drain and undrain regions.</summary>
    public bool Admin { get; } = admin;

    public bool MayReport(RegionKey region) => Load.Any(p => p.Matches(region));

    /// <summary>Never the secret, not even its hash.</summary>
    public override string ToString() => Name;
}

/// <summary>The tokens in force, from one good read of the tokens file.</summary>
public sealed class ApiTokenSet(ImmutableArray<ApiToken> tokens)
{
    public static readonly ApiTokenSet Empty = new([]);

    public ImmutableArray<ApiToken> Tokens { get; } = tokens;

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>
    /// The token whose secret is <paramref name="presented"/>, or null. Both sides are SHA-256 hashes,
    /// compared in constant time against every token (no early exit), so neither the length nor the
    /// first differing byte of a secret shows in the response time.
    /// </summary>
    public ApiToken? Find(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        ApiToken? found = null;
        foreach (var token in Tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, token.SecretHash)) found ??= token;
        }
        return found;
    }
}
