namespace GslbDns.Zones.Reading;

/// <summary>
/// One field of a master-file entry. <see cref="Text"/> keeps backslash escapes exactly as written
/// (and, for a quoted string, is the text between the quotes), because whether "\." means a literal
/// dot depends on the field: a name label or a character-string (RFC 1035 §5.1).
/// </summary>
internal readonly record struct MasterFileToken(string Text, bool IsQuoted, int Line);

/// <summary>
/// One logical entry: a physical line, or several when parentheses continue it (RFC 1035 §5.1).
/// <see cref="HasOwnerField"/> is true when the entry's first field starts in column 0; as in BIND,
/// a line that starts with white space has no owner field and reuses the previous owner.
/// </summary>
internal sealed record MasterFileEntry(IReadOnlyList<MasterFileToken> Tokens, int Line, bool HasOwnerField);
