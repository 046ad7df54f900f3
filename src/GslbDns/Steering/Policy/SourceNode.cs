using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>
/// A YAML node with the line it starts on. Mapping entries keep their order and duplicates, so the
/// reader can report a repeated key at its own line instead of the YAML library rejecting the file.
/// </summary>
internal abstract class SourceNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    /// <summary>Word used in "expected X, found Y" messages.</summary>
    public abstract string Kind { get; }
}

internal sealed class SourceScalar(SourceLocation location, string value, bool isQuoted) : SourceNode(location)
{
    public string Value { get; } = value;

    /// <summary>Quoted scalars are always strings; plain ones may be numbers, booleans or null.</summary>
    public bool IsQuoted { get; } = isQuoted;

    /// <summary>A plain empty scalar or "~"/"null" (YAML 1.2 core schema null).</summary>
    public bool IsNull => !IsQuoted && (Value.Length == 0 || Value is "~" or "null" or "Null" or "NULL");

    public override string Kind => IsNull ? "nothing" : "a scalar";
}

internal sealed class SourceSequence(SourceLocation location, IReadOnlyList<SourceNode> items) : SourceNode(location)
{
    public IReadOnlyList<SourceNode> Items { get; } = items;

    public override string Kind => "a list";
}

internal sealed class SourceMapping(SourceLocation location, IReadOnlyList<KeyValuePair<SourceScalar, SourceNode>> entries)
    : SourceNode(location)
{
    public IReadOnlyList<KeyValuePair<SourceScalar, SourceNode>> Entries { get; } = entries;

    public override string Kind => "a mapping";
}
