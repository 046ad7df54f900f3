using System.Globalization;
using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>
/// Typed access to a <see cref="SourceNode"/> tree that records a problem, with the node's line, for
/// every value of the wrong shape and carries on, so one pass reports everything wrong with a file.
/// </summary>
internal sealed class SourceFields(List<ZoneProblem> problems)
{
    public List<ZoneProblem> Problems { get; } = problems;

    public void Error(SourceNode node, string message) => Problems.Add(new ZoneProblem(node.Location, message));

    public void Error(SourceLocation location, string message) => Problems.Add(new ZoneProblem(location, message));

    public SourceMapping? Mapping(SourceNode node, string what)
    {
        if (node is SourceMapping mapping) return mapping;
        Error(node, $"{what} must be a mapping, found {node.Kind}");
        return null;
    }

    /// <summary>
    /// Reports keys that are not in <paramref name="allowed"/> (a typo must not be silently ignored)
    /// and keys given twice. Returns false when there was an unknown key.
    /// </summary>
    public bool CheckKeys(SourceMapping mapping, string what, params string[] allowed)
    {
        bool allKnown = true;
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, _) in mapping.Entries)
        {
            if (Array.IndexOf(allowed, key.Value) < 0)
            {
                Error(key, $"unknown key '{key.Value}' in {what}; expected one of: {string.Join(", ", allowed)}");
                allKnown = false;
            }
            else if (!seen.TryAdd(key.Value, key.Location.Line))
            {
                Error(key, $"duplicate key '{key.Value}' in {what} (first at line {seen[key.Value]})");
            }
        }
        return allKnown;
    }

    /// <summary>The first value under <paramref name="key"/>, or null.</summary>
    public static SourceNode? Get(SourceMapping mapping, string key)
    {
        foreach (var (k, v) in mapping.Entries)
        {
            if (k.Value == key) return v;
        }
        return null;
    }

    public string? Text(SourceNode node, string what)
    {
        if (node is SourceScalar scalar && !scalar.IsNull) return scalar.Value;
        Error(node, $"{what} must be a single value, found {node.Kind}");
        return null;
    }

    /// <summary>A list of nodes; a lone scalar is accepted as a list of one (<c>country: GB</c>).</summary>
    public IReadOnlyList<SourceNode> List(SourceNode node, string what)
    {
        switch (node)
        {
            case SourceSequence sequence:
                return sequence.Items;
            case SourceScalar scalar when !scalar.IsNull:
                return [scalar];
            default:
                Error(node, $"{what} must be a list, found {node.Kind}");
                return [];
        }
    }

    public bool Integer(SourceNode node, string what, long min, long max, out long value)
    {
        value = 0;
        var text = Text(node, what);
        if (text is null) return false;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }
        Error(node, $"{what} must be an integer from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, found '{text}'");
        return false;
    }

    public bool Number(SourceNode node, string what, out double value)
    {
        value = 0;
        var text = Text(node, what);
        if (text is null) return false;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value))
        {
            return true;
        }
        Error(node, $"{what} must be a number, found '{text}'");
        return false;
    }

    /// <summary>A duration such as <c>250ms</c>, <c>5s</c> or <c>1m</c> (a bare number is seconds) from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public bool Duration(SourceNode node, string what, TimeSpan min, TimeSpan max, out TimeSpan value)
    {
        value = default;
        var text = Text(node, what);
        if (text is null) return false;
        if (!Health.Durations.TryParse(text, out value))
        {
            Error(node, $"{what} must be a duration such as 250ms, 5s or 1m, found '{text}'");
            return false;
        }
        if (value < min || value > max)
        {
            Error(node, value < min
                ? $"{what} must be at least {Health.Durations.Format(min)}, found '{text}'"
                : $"{what} must be at most {Health.Durations.Format(max)}, found '{text}'");
            return false;
        }
        return true;
    }

    public bool Boolean(SourceNode node, string what, out bool value)
    {
        value = false;
        var text = Text(node, what);
        switch (text)
        {
            case null:
                return false;
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                Error(node, $"{what} must be true or false, found '{text}'");
                return false;
        }
    }

    /// <summary>One of <paramref name="choices"/> (the YAML spelling) mapped to its value.</summary>
    public bool Choice<T>(SourceNode node, string what, IReadOnlyList<(string Text, T Value)> choices, out T value)
    {
        value = default!;
        var text = Text(node, what);
        if (text is null) return false;
        foreach (var (choiceText, choiceValue) in choices)
        {
            if (choiceText == text)
            {
                value = choiceValue;
                return true;
            }
        }
        Error(node, $"{what} must be one of: {string.Join(", ", choices.Select(c => c.Text))}; found '{text}'");
        return false;
    }
}
