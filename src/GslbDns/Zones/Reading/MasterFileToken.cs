namespace GslbDns.Zones.Reading;

/// <summary>
/// One field of a master-file entry: a slice of the file's text, so splitting a file allocates no
/// string per field. The slice keeps backslash escapes exactly as written (and, for a quoted string,
/// is the text between the quotes), because whether "\." means a literal dot depends on the field:
/// a name label or a character-string (RFC 1035 §5.1).
/// </summary>
internal readonly record struct MasterFileToken(string Source, int Start, int Length, bool IsQuoted, int Line)
{
    public ReadOnlySpan<char> Span => Source.AsSpan(Start, Length);

    /// <summary>The field as a new string: for messages and rare fields, not for the per-record path.</summary>
    public string Text => Source.Substring(Start, Length);

    public bool Is(string text) => Span.SequenceEqual(text);
}

/// <summary>
/// One logical entry: a physical line, or several when parentheses continue it (RFC 1035 §5.1).
/// <see cref="HasOwnerField"/> is true when the entry's first field starts in column 0; as in BIND,
/// a line that starts with white space has no owner field and reuses the previous owner.
/// <see cref="Tokens"/> is the tokenizer's own list: valid until it reads the next entry.
/// </summary>
internal readonly record struct MasterFileEntry(IReadOnlyList<MasterFileToken> Tokens, int Line, bool HasOwnerField);
