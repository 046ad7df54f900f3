using System.Globalization;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Reads the RDATA fields of one entry in order, turning each into wire octets or failing with a
/// message that names the record type, the field and the offending text.
/// </summary>
internal sealed class RdataFields
{
    private readonly IReadOnlyList<MasterFileToken> _tokens;
    private readonly byte[] _originWire;
    private readonly bool _hasOrigin;
    private readonly int _entryLine;
    private int _index;

    public RdataFields(string typeText, IReadOnlyList<MasterFileToken> tokens, int start, byte[]? originWire, int entryLine)
    {
        TypeText = typeText;
        _tokens = tokens;
        _index = start;
        _originWire = originWire ?? [];
        _hasOrigin = originWire is not null;
        _entryLine = entryLine;
    }

    public string TypeText { get; }

    public bool HasMore => _index < _tokens.Count;

    /// <summary>Line of the field about to be read, or of the last one when none are left.</summary>
    public int Line => _tokens.Count == 0 ? _entryLine : _tokens[Math.Min(_index, _tokens.Count - 1)].Line;

    public ZoneSyntaxException Error(string message) => new(Line, $"{TypeText}: {message}");

    public MasterFileToken Next(string what)
    {
        if (!HasMore) throw new ZoneSyntaxException(Line, $"{TypeText}: missing {what}");
        return _tokens[_index++];
    }

    public string NextUnquoted(string what)
    {
        var token = Next(what);
        if (token.IsQuoted) throw new ZoneSyntaxException(token.Line, $"{TypeText}: {what} must not be quoted");
        return token.Text;
    }

    public ulong NextNumber(string what, ulong max)
    {
        var token = Next(what);
        if (token.IsQuoted
            || !ulong.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            || value > max)
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: bad {what} '{token.Text}': expected a number from 0 to {max}");
        }
        return value;
    }

    public byte NextUInt8(string what) => (byte)NextNumber(what, byte.MaxValue);

    public ushort NextUInt16(string what) => (ushort)NextNumber(what, ushort.MaxValue);

    public uint NextUInt32(string what) => (uint)NextNumber(what, uint.MaxValue);

    /// <summary>A 32-bit time value that may use TTL units, as BIND allows for SOA timers.</summary>
    public uint NextPeriod(string what)
    {
        var token = Next(what);
        if (token.IsQuoted)
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: {what} must not be quoted");
        }
        if (!TtlText.TryParseSeconds(token.Text, out ulong seconds, out string reason))
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: bad {what} '{token.Text}': {reason}");
        }
        return (uint)seconds;
    }

    public byte[] NextName(string what)
    {
        var token = Next(what);
        if (token.IsQuoted) throw new ZoneSyntaxException(token.Line, $"{TypeText}: {what} must be a name, not a quoted string");
        if (!NameText.TryToWire(token.Text, _originWire, _hasOrigin, out var wire, out string error))
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: bad {what} '{token.Text}': {error}");
        }
        return wire;
    }

    /// <summary>A character-string (RFC 1035 §3.3): at most 255 octets, quoted or not.</summary>
    public byte[] NextCharacterString(string what)
    {
        var token = Next(what);
        var octets = Decode(token, what);
        if (octets.Length > 255)
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: {what} of {octets.Length} octets is longer than 255 (RFC 1035 §3.3)");
        }
        return octets;
    }

    /// <summary>Any number of octets written as one field, quoted or not (the CAA value).</summary>
    public byte[] NextOctets(string what) => Decode(Next(what), what);

    /// <summary>All remaining fields joined, for hex or base64 data that may be split by white space.</summary>
    public string RestJoined(string what)
    {
        if (!HasMore) throw new ZoneSyntaxException(Line, $"{TypeText}: missing {what}");
        var parts = new List<string>();
        while (HasMore) parts.Add(NextUnquoted(what));
        return string.Concat(parts);
    }

    public void End()
    {
        if (HasMore)
        {
            var token = _tokens[_index];
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: unexpected '{token.Text}' after the last field");
        }
    }

    private byte[] Decode(MasterFileToken token, string what)
    {
        if (!CharacterStringText.TryDecode(token.Text, out var octets, out string error))
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: bad {what}: {error}");
        }
        return octets;
    }
}
