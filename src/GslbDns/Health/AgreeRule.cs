using System.Globalization;
using GslbDns.Steering.State;

namespace GslbDns.Health;

public enum AgreeKind
{
    /// <summary>More than half of the instances that vote see it down.</summary>
    Quorum,

    /// <summary>One instance seeing it down is enough.</summary>
    Any,

    /// <summary>Every instance that votes sees it down.</summary>
    All,

    /// <summary>At least <see cref="AgreeRule.Fraction"/> of the instances that vote see it down.</summary>
    Fraction,
}

/// <summary>
/// The policy's <c>health: { agree: ... }</c>: how many of the clustered instances must see an address
/// down before steering treats it as down. The voters are the live instances that check the address
/// and have a verdict (unknown is no vote); alone, the only voter is this instance, and every rule
/// gives its own verdict.
/// </summary>
public readonly record struct AgreeRule(AgreeKind Kind, double Fraction = 0)
{
    public static readonly AgreeRule Quorum = new(AgreeKind.Quorum);

    /// <summary>The verdict steering uses, from this instance's own and its peers' verdicts.</summary>
    public HealthStatus Decide(HealthStatus own, ReadOnlySpan<PeerVote> peers)
    {
        int down = own == HealthStatus.Down ? 1 : 0, up = own == HealthStatus.Up ? 1 : 0;
        foreach (var vote in peers)
        {
            if (vote.Status == HealthStatus.Down) down++;
            else if (vote.Status == HealthStatus.Up) up++;
        }
        int voters = down + up;
        if (voters == 0) return own;
        bool met = down > 0 && Kind switch
        {
            AgreeKind.Any => true,
            AgreeKind.All => up == 0,
            AgreeKind.Fraction => down >= Fraction * voters - 1e-9,
            _ => down * 2 > voters,
        };
        if (met) return HealthStatus.Down;
        return up > 0 ? HealthStatus.Up : own;
    }

    /// <summary>Parses <c>any</c>, <c>all</c>, <c>quorum</c> or <c>fraction:F</c> (0 &lt; F ≤ 1).</summary>
    public static bool TryParse(string text, out AgreeRule rule)
    {
        rule = Quorum;
        switch (text)
        {
            case "any":
                rule = new AgreeRule(AgreeKind.Any);
                return true;
            case "all":
                rule = new AgreeRule(AgreeKind.All);
                return true;
            case "quorum":
                return true;
        }
        if (text.StartsWith("fraction:", StringComparison.Ordinal)
            && double.TryParse(text.AsSpan("fraction:".Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double f)
            && f > 0 && f <= 1)
        {
            rule = new AgreeRule(AgreeKind.Fraction, f);
            return true;
        }
        return false;
    }

    public override string ToString() => Kind == AgreeKind.Fraction
        ? "fraction:" + Fraction.ToString("0.###", CultureInfo.InvariantCulture)
        : Kind.ToString().ToLowerInvariant();
}

/// <summary>One other instance's verdict on an address.</summary>
public readonly record struct PeerVote(string Instance, HealthStatus Status);
