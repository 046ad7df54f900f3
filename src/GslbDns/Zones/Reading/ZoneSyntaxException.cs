namespace GslbDns.Zones.Reading;

/// <summary>
/// Raised while decoding one entry so the reader can record the problem and go on with the next
/// entry; it never escapes <see cref="MasterFileReader"/>.
/// </summary>
internal sealed class ZoneSyntaxException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
