using System.Globalization;
using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// The RFC 3597 §5 generic RDATA form "\# length hex...", usable for any type. For types this server
/// knows, the octets must also be valid RDATA of that type (RFC 3597 §5 last paragraph).
/// </summary>
internal static class GenericRdata
{
    public const string Marker = "\\#";

    public static bool Starts(IReadOnlyList<MasterFileToken> tokens, int index) =>
        index < tokens.Count && !tokens[index].IsQuoted && tokens[index].Is(Marker);

    public static byte[] Parse(RecordType type, RdataFields fields)
    {
        fields.Next("'\\#'");
        var lengthToken = fields.Next("RDATA length");
        if (lengthToken.IsQuoted
            || !int.TryParse(lengthToken.Span, NumberStyles.None, CultureInfo.InvariantCulture, out int length)
            || length > RdataTextParser.MaxRdataLength)
        {
            throw new ZoneSyntaxException(lengthToken.Line, $"{fields.TypeText}: bad generic RDATA length '{lengthToken.Text}': expected a number from 0 to {RdataTextParser.MaxRdataLength}");
        }
        byte[] octets = [];
        int line = fields.Line;
        if (fields.HasMore)
        {
            string hex = fields.RestJoined("hex data");
            if (!HexText.TryDecode(hex, out octets, out string error))
            {
                throw new ZoneSyntaxException(line, $"{fields.TypeText}: bad generic RDATA: {error}");
            }
        }
        if (octets.Length != length)
        {
            throw new ZoneSyntaxException(line, $"{fields.TypeText}: generic RDATA length {length} does not match the {octets.Length} octets of hex data");
        }
        string? problem = RdataWireCheck.Check(type, octets);
        if (problem is not null)
        {
            throw new ZoneSyntaxException(line, $"{fields.TypeText}: generic RDATA is not valid for this type: {problem}");
        }
        return octets;
    }
}
