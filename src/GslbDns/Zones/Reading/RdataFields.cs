using System.Globalization;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Reads the RDATA fields of one entry in order, turning each into wire octets or failing with a
/// message that names the record type, the field and the offending text. One instance serves every
/// record of a file (<see cref="Reset"/>); names and strings go straight into the record's builder.
/// </summary>
internal sealed class RdataFields
{
    private IReadOnlyList<MasterFileToken> _tokens = [];
    private MasterFileToken _typeToken;
    private byte[] _originWire = [];
    private bool _hasOrigin;
    private int _entryLine;
    private int _index;

    public void Reset(MasterFileToken typeToken, IReadOnlyList<MasterFileToken> tokens, int start, byte[]? originWire, int entryLine)
    {
        _typeToken = typeToken;
        _tokens = tokens;
        _index = start;
        _originWire = originWire ?? [];
        _hasOrigin = originWire is not null;
        _entryLine = entryLine;
    }

    /// <summary>The type as written, upper-cased: only messages need it, so it is built only for them.</summary>
    public string TypeText => _typeToken.Text.ToUpperInvariant();

    public bool HasMore => _index < _tokens.Count;

    /// <summary>Line of the field about to be read, or of the last one when none are left.</summary>
    public int Line => _tokens.Count == 0 ? _entryLine : _tokens[Math.Min(_index, _tokens.Count - 1)].Line;

    public ZoneSyntaxException Error(string message) => new(Line, $"{TypeText}: {message}");

    public MasterFileToken Next(string what)
    {
        if (!HasMore) throw new ZoneSyntaxException(Line, $"{TypeText}: missing {what}");
        return _tokens[_index++];
    }

    public MasterFileToken NextUnquoted(string what)
    {
        var token = Next(what);
        if (token.IsQuoted) throw new ZoneSyntaxException(token.Line, $"{TypeText}: {what} must not be quoted");
        return token;
    }

    public ulong NextNumber(string what, ulong max)
    {
        var token = Next(what);
        if (token.IsQuoted
            || !ulong.TryParse(token.Span, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
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
        if (!TtlText.TryParseSeconds(token.Span, out ulong seconds, out string reason))
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: bad {what} '{token.Text}': {reason}");
        }
        return (uint)seconds;
    }

    /// <summary>A name field, appended to <paramref name="into"/> in uncompressed wire form, case kept.</summary>
    public void Name(RdataBuilder into, string what)
    {
        var token = Next(what);
        if (token.IsQuoted) throw new ZoneSyntaxException(token.Line, $"{TypeText}: {what} must be a name, not a quoted string");
        var room = into.Reserve(Protocol.DnsName.MaxWireLength);
        if (!Protocol.NameText.TryToWire(token.Span, _originWire, _hasOrigin, room, out int written, out string error))
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: bad {what} '{token.Text}': {error}");
        }
        into.Unreserve(room.Length - written);
    }

    /// <summary>A character-string (RFC 1035 §3.3): at most 255 octets, quoted or not, length-prefixed.</summary>
    public void CharacterString(RdataBuilder into, string what)
    {
        var token = Next(what);
        int prefix = into.Length;
        into.UInt8(0);
        Decode(token, what, into);
        int length = into.Length - prefix - 1;
        if (length > 255)
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: {what} of {length} octets is longer than 255 (RFC 1035 §3.3)");
        }
        into.Patch(prefix, (byte)length);
    }

    /// <summary>Any number of octets written as one field, quoted or not (the CAA value).</summary>
    public void Octets(RdataBuilder into, string what) => Decode(Next(what), what, into);

    /// <summary>All remaining fields joined, for hex or base64 data that may be split by white space.</summary>
    public string RestJoined(string what)
    {
        if (!HasMore) throw new ZoneSyntaxException(Line, $"{TypeText}: missing {what}");
        var joined = new System.Text.StringBuilder();
        while (HasMore) joined.Append(NextUnquoted(what).Span);
        return joined.ToString();
    }

    public void End()
    {
        if (HasMore)
        {
            var token = _tokens[_index];
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: unexpected '{token.Text}' after the last field");
        }
    }

    private void Decode(MasterFileToken token, string what, RdataBuilder into)
    {
        if (!CharacterStringText.TryAppend(token.Span, into, out string error))
        {
            throw new ZoneSyntaxException(token.Line, $"{TypeText}: bad {what}: {error}");
        }
    }
}
