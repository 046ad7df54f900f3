using System.Globalization;

namespace GslbDns.Load;

/// <summary>The state word of an HAProxy agent-check reply, reduced to what steering does with it.</summary>
public enum AgentState : byte
{
    /// <summary>No state word: the drain in force (if any) stays.</summary>
    None,

    /// <summary><c>up</c> or <c>ready</c>: the region serves; clears a drain the agent set.</summary>
    Up,

    /// <summary><c>drain</c> or <c>maint</c>: no new clients, existing ones finish.</summary>
    Drain,

    /// <summary><c>down</c>, <c>fail</c> or <c>stopped</c>: the load balancer says it cannot serve.</summary>
    Down,
}

/// <summary>One agent reply: the share of capacity available (from <c>75%</c>) and the state word.</summary>
/// <param name="Available">The percentage as a fraction (0.75 for <c>75%</c>); null when the reply has none.</param>
/// <param name="State">The last state word of the reply.</param>
/// <param name="Word">That word as sent, for the log.</param>
public readonly record struct AgentReply(double? Available, AgentState State, string? Word)
{
    /// <summary>The load figure a percentage stands for: what is not available is in use.</summary>
    public double? Utilization => Available is { } available ? 1 - available : null;

    /// <summary>Whether the region counts as drained after this reply (null: unchanged).</summary>
    public bool? Drained => State switch
    {
        AgentState.Up => false,
        AgentState.Drain or AgentState.Down => true,
        _ => null,
    };
}

/// <summary>
/// Reads one line of the HAProxy agent-check protocol. Words are separated by spaces, tabs or commas;
/// text after <c>#</c> is a description. The mapping:
/// <list type="bullet">
/// <item><c>75%</c>: HAProxy's weight percentage, the share of the server's capacity still available,
/// so the region's load is 1 − 0.75 = 0.25 (reported as utilization; above 100 % counts as 100 %).</item>
/// <item><c>drain</c>, <c>maint</c>: the region is drained.</item>
/// <item><c>down</c>, <c>fail</c>, <c>stopped</c>: the load balancer cannot serve; the region is drained
/// too (not down: health checks own up and down, and a drain never strands clients when every region
/// is out).</item>
/// <item><c>up</c>, <c>ready</c>: clears a drain the agent set.</item>
/// <item>Other words HAProxy knows (<c>maxconn:N</c>) or not are ignored; a line with neither a
/// percentage nor a state word is an error.</item>
/// </list>
/// When a line holds several state words the last one counts. A drain stays until <c>up</c> or
/// <c>ready</c>, as in HAProxy: a reply with only a percentage does not clear it.
/// </summary>
public static class AgentLine
{
    private static readonly char[] Separators = [' ', '\t', ','];

    public static bool TryParse(string line, out AgentReply reply, out string error)
    {
        reply = default;
        int hash = line.IndexOf('#');
        var words = (hash >= 0 ? line[..hash] : line).Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        double? available = null;
        var state = AgentState.None;
        string? stateWord = null;
        foreach (var word in words)
        {
            if (word.EndsWith('%'))
            {
                if (!double.TryParse(word.AsSpan(0, word.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double percent))
                {
                    error = $"'{word}' is not a percentage";
                    return false;
                }
                available = Math.Min(percent, 100) / 100;
                continue;
            }
            var mapped = word.ToLowerInvariant() switch
            {
                "up" or "ready" => AgentState.Up,
                "drain" or "maint" => AgentState.Drain,
                "down" or "fail" or "stopped" => AgentState.Down,
                _ => AgentState.None,
            };
            if (mapped == AgentState.None) continue;
            state = mapped;
            stateWord = word.ToLowerInvariant();
        }
        if (available is null && state == AgentState.None)
        {
            error = line.Trim().Length == 0 ? "empty agent reply" : $"agent reply '{Shorten(line)}' has neither a percentage nor a state word";
            return false;
        }
        reply = new AgentReply(available, state, stateWord);
        error = "";
        return true;
    }

    private static string Shorten(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length <= 60 ? trimmed : trimmed[..60] + "…";
    }
}
