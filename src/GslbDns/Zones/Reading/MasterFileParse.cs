using GslbDns.Protocol;

namespace GslbDns.Zones.Reading;

/// <summary>
/// The state of reading one zone's master file and the files it includes: origin, previous owner and
/// default TTLs as RFC 1035 §5.1 and RFC 2308 §4 define them. Each bad entry becomes a problem and
/// reading goes on, so one pass reports everything that is wrong.
/// </summary>
internal sealed class MasterFileParse
{
    private const int MaxIncludeDepth = 16;

    private readonly string? _root;
    private readonly List<ZoneRecord> _records = [];
    private readonly List<ZoneProblem> _problems = [];
    private readonly List<string> _includeChain = [];

    private DnsName? _origin;
    private byte[]? _originWire;
    private bool _apexFixed;
    private DnsName? _apex;
    private DnsName? _previousOwner;
    private uint? _defaultTtl;
    private uint? _lastTtl;

    // Scratch space shared by every record read.
    private readonly RdataFields _fields = new();
    private readonly RdataBuilder _builder = new();

    // The zone's owner names and RDATA, in buffers the compiled zone goes on using.
    private readonly ByteArena _names = new();
    private readonly ByteArena _rdata = new();

    // The owner field that gave _previousOwner, and the origin it was read against: the same text
    // under the same origin is the same name, parsed once (most zones write a name on each of its lines).
    private MasterFileToken _previousOwnerToken;
    private DnsName? _previousOwnerOrigin;

    public MasterFileParse(string? root, DnsName? origin)
    {
        _root = root;
        _origin = origin;
        _originWire = origin?.Wire.ToArray();
    }

    public ZoneReadResult Result() => new(_apexFixed ? _apex : _origin, _records, _problems);

    public void ReadFile(string fullPath, string display)
    {
        string text;
        try
        {
            text = MasterFileText.Read(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _problems.Add(new ZoneProblem(new SourceLocation(display, 0), $"cannot read the file: {e.Message}"));
            return;
        }
        ReadText(text, fullPath, display);
    }

    /// <summary><paramref name="fullPath"/> is where $INCLUDE names are resolved from; null forbids $INCLUDE.</summary>
    public void ReadText(string text, string? fullPath, string display)
    {
        if (fullPath is not null) _includeChain.Add(fullPath);
        // Every record of the file carries its location: the file's number, found once here.
        int file = SourceFiles.Number(display);
        // Syntax problems found while splitting are merged in by line, so the report reads in file order.
        var found = new List<ZoneProblem>();
        // Room for the file's records up front (a record line is rarely under 24 characters): a
        // list that doubles copies its records, and the collector then looks through the whole copy
        // for references to young objects at its next collection.
        _records.EnsureCapacity(_records.Count + text.Length / 24 + 1);
        var tokenizer = new MasterFileTokenizer(text, display, found);
        while (tokenizer.TryNext(out var entry))
        {
            if (found.Count > 0) MergeSplitProblems(found, entry.Line);
            try
            {
                var first = entry.Tokens[0];
                if (!first.IsQuoted && first.Span.StartsWith('$'))
                {
                    if (!entry.HasOwnerField)
                    {
                        throw new ZoneSyntaxException(entry.Line, $"directive '{first.Text}' must start in column 0");
                    }
                    Directive(entry, fullPath, display);
                }
                else
                {
                    Record(entry, display, file);
                }
            }
            catch (ZoneSyntaxException e)
            {
                _problems.Add(new ZoneProblem(new SourceLocation(display, e.Line), e.Message));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault in a field decoder is this entry's problem; the entries after it are still read.
                _problems.Add(new ZoneProblem(new SourceLocation(display, entry.Line),
                    $"cannot read this entry: unexpected {e.GetType().Name}: {e.Message}"));
            }
        }
        MergeSplitProblems(found, int.MaxValue);
        if (fullPath is not null) _includeChain.RemoveAt(_includeChain.Count - 1);
    }

    /// <summary>Moves the splitting problems of lines before <paramref name="line"/> into the report, in line order.</summary>
    private void MergeSplitProblems(List<ZoneProblem> found, int line)
    {
        var ordered = found.OrderBy(p => p.Location.Line).ToList();
        int taken = 0;
        while (taken < ordered.Count && ordered[taken].Location.Line < line) _problems.Add(ordered[taken++]);
        found.Clear();
        found.AddRange(ordered.Skip(taken));
    }

    private void Directive(MasterFileEntry entry, string? fullPath, string display)
    {
        var tokens = entry.Tokens;
        string name = tokens[0].Text.ToUpperInvariant();
        switch (name)
        {
            case "$ORIGIN":
                ExpectArguments(entry, 1, 1, "$ORIGIN <name>");
                (_origin, _originWire) = AbsoluteName(tokens[1], "$ORIGIN");
                break;
            case "$TTL":
                ExpectArguments(entry, 1, 1, "$TTL <ttl>");
                if (!TtlText.TryParseTtl(tokens[1].Span, out uint ttl, out string error))
                {
                    throw new ZoneSyntaxException(tokens[1].Line, $"$TTL: {error}");
                }
                _defaultTtl = ttl;
                break;
            case "$INCLUDE":
                ExpectArguments(entry, 1, 2, "$INCLUDE <file> [<origin>]");
                Include(entry, fullPath);
                break;
            case "$GENERATE":
                throw new ZoneSyntaxException(entry.Line, "$GENERATE is not supported; write the records out");
            default:
                throw new ZoneSyntaxException(entry.Line, $"unknown directive '{tokens[0].Text}'");
        }
    }

    private static void ExpectArguments(MasterFileEntry entry, int min, int max, string usage)
    {
        int count = entry.Tokens.Count - 1;
        if (count < min || count > max)
        {
            throw new ZoneSyntaxException(entry.Line, $"expected '{usage}', found {count} argument{(count == 1 ? "" : "s")}");
        }
    }

    private (DnsName Name, byte[] Wire) AbsoluteName(MasterFileToken token, string what)
    {
        if (token.IsQuoted) throw new ZoneSyntaxException(token.Line, $"{what}: a name must not be quoted");
        if (!NameText.TryToWire(token.Span, _originWire ?? [], _originWire is not null, out var wire, out string error))
        {
            throw new ZoneSyntaxException(token.Line, $"{what}: bad name '{token.Text}': {error}");
        }
        return (DnsName.FromWire(wire), wire);
    }

    /// <summary>RFC 1035 §5.1: the included file starts with the given origin (or the current one),
    /// and the origin and current owner revert when it ends.</summary>
    private void Include(MasterFileEntry entry, string? fullPath)
    {
        var fileToken = entry.Tokens[1];
        if (fullPath is null || _root is null)
        {
            throw new ZoneSyntaxException(entry.Line, "$INCLUDE cannot be used here: this text was read without a zones folder");
        }
        if (!CharacterStringText.TryDecode(fileToken.Span, out var nameOctets, out string decodeError))
        {
            throw new ZoneSyntaxException(entry.Line, $"$INCLUDE: bad file name: {decodeError}");
        }
        string fileName = System.Text.Encoding.UTF8.GetString(nameOctets);
        string target = IncludePath.Resolve(fullPath, fileName);
        string? outside = IncludePath.CheckInside(target, _root);
        if (outside is not null)
        {
            throw new ZoneSyntaxException(entry.Line, $"$INCLUDE '{fileName}' refused: {outside}");
        }
        string display = IncludePath.Display(target, _root);
        if (_includeChain.Contains(target, StringComparer.Ordinal))
        {
            var cycle = _includeChain.Select(p => IncludePath.Display(p, _root)).Append(display);
            throw new ZoneSyntaxException(entry.Line, $"$INCLUDE '{fileName}' refused: include cycle {string.Join(" -> ", cycle)}");
        }
        if (_includeChain.Count >= MaxIncludeDepth)
        {
            throw new ZoneSyntaxException(entry.Line, $"$INCLUDE '{fileName}' refused: includes nested deeper than {MaxIncludeDepth} files");
        }
        if (!File.Exists(target))
        {
            throw new ZoneSyntaxException(entry.Line, $"$INCLUDE '{fileName}': file '{display}' not found");
        }

        var savedOrigin = (_origin, _originWire);
        var savedOwner = _previousOwner;
        if (entry.Tokens.Count > 2)
        {
            (_origin, _originWire) = AbsoluteName(entry.Tokens[2], "$INCLUDE origin");
        }
        try
        {
            ReadFile(target, display);
        }
        finally
        {
            (_origin, _originWire) = savedOrigin;
            _previousOwner = savedOwner;
            // The remembered owner text was the included file's: it no longer names _previousOwner.
            _previousOwnerOrigin = null;
        }
    }

    private void Record(MasterFileEntry entry, string display, int file)
    {
        var tokens = entry.Tokens;
        if (!_apexFixed)
        {
            // The zone's apex is the origin in effect at its first record, so a leading $ORIGIN can
            // override the origin the caller derived from the file name.
            _apexFixed = true;
            _apex = _origin;
            if (_apex is null)
            {
                _problems.Add(new ZoneProblem(new SourceLocation(display, entry.Line),
                    "zone origin unknown: no origin was given and no $ORIGIN precedes the first record"));
            }
        }

        int index = 0;
        DnsName owner;
        if (entry.HasOwnerField)
        {
            var ownerToken = tokens[0];
            if (ownerToken.IsQuoted) throw new ZoneSyntaxException(ownerToken.Line, "owner name must not be quoted");
            owner = Owner(ownerToken);
            index = 1;
        }
        else
        {
            owner = _previousOwner
                ?? throw new ZoneSyntaxException(entry.Line, "no owner name: the line starts with white space and no earlier record gives an owner");
        }

        // TTL and class may come in either order (RFC 1035 §5.1); no type mnemonic starts with a digit,
        // so a field starting with a digit is a TTL.
        uint? explicitTtl = null;
        bool classSeen = false;
        while (index < tokens.Count && !tokens[index].IsQuoted)
        {
            var token = tokens[index];
            if (explicitTtl is null && token.Length > 0 && char.IsAsciiDigit(token.Span[0]))
            {
                if (!TtlText.TryParseTtl(token.Span, out uint ttl, out string error))
                {
                    throw new ZoneSyntaxException(token.Line, error);
                }
                explicitTtl = ttl;
                index++;
                continue;
            }
            if (!classSeen && ClassText.IsClass(token.Span, out bool isInternet))
            {
                if (!isInternet)
                {
                    throw new ZoneSyntaxException(token.Line, $"class '{token.Text}' is not supported; only IN zones are served");
                }
                classSeen = true;
                index++;
                continue;
            }
            break;
        }

        if (index >= tokens.Count) throw new ZoneSyntaxException(tokens[^1].Line, "missing record type");
        var typeToken = tokens[index];
        if (typeToken.IsQuoted || !RecordTypeNames.TryParse(typeToken.Span, out var type))
        {
            string hint = char.IsAsciiDigit(typeToken.Text.FirstOrDefault()) ? " (a second TTL?)" : "";
            throw new ZoneSyntaxException(typeToken.Line, $"unknown record type '{typeToken.Text}'{hint}");
        }
        if (IsMetaType(type))
        {
            throw new ZoneSyntaxException(typeToken.Line, $"type {RecordTypeNames.ToText(type)} cannot appear in zone data (RFC 6895 §3.1)");
        }
        index++;

        var fields = _fields;
        fields.Reset(typeToken, tokens, index, _originWire, entry.Line);
        var data = GenericRdata.Starts(tokens, index)
            ? GenericRdata.Parse(type, fields)
            : RdataTextParser.Parse(type, fields, _builder);

        uint recordTtl = ChooseTtl(explicitTtl, type, data, entry.Line);

        if (_apex is { } apex && !owner.IsAtOrBelow(apex))
        {
            throw new ZoneSyntaxException(entry.Line, $"owner '{owner}' is outside the zone '{apex}'");
        }
        var (buffer, offset) = _rdata.Add(data);
        _records.Add(new ZoneRecord(owner, type, recordTtl, new ReadOnlyMemory<byte>(buffer, offset, data.Length),
            new SourceLocation(file, entry.Line)));
    }

    private DnsName Owner(MasterFileToken token)
    {
        if (_previousOwner is { } previous && _previousOwnerOrigin == _origin && token.Span.SequenceEqual(_previousOwnerToken.Span))
        {
            return previous;
        }
        Span<byte> wire = stackalloc byte[DnsName.MaxWireLength];
        if (!NameText.TryToWire(token.Span, _originWire ?? default, _originWire is not null, wire, out int written, out string error))
        {
            throw new ZoneSyntaxException(token.Line, $"bad owner name '{token.Text}': {error}");
        }
        // Owners go into the names buffer the compiled zone keeps: no array per name.
        var owner = _names.AddName(wire[..written], DnsName.CountLabels(wire[..written]));
        _previousOwner = owner;
        _previousOwnerToken = token;
        _previousOwnerOrigin = _origin;
        return owner;
    }

    /// <summary>
    /// RFC 2308 §4: a record without a TTL takes $TTL. Without $TTL it takes the last TTL written
    /// (RFC 1035 §5.1); an SOA that is the first record and has no TTL takes its own MINIMUM, as BIND does.
    /// </summary>
    private uint ChooseTtl(uint? explicitTtl, RecordType type, ReadOnlySpan<byte> data, int line)
    {
        if (explicitTtl is uint ttl)
        {
            _lastTtl = ttl;
            return ttl;
        }
        if (_defaultTtl is uint defaultTtl) return defaultTtl;
        if (_lastTtl is uint lastTtl) return lastTtl;
        if (type == RecordType.SOA && data.Length >= 22)
        {
            uint minimum = Math.Min(RdataWireCheck.SoaMinimum(data), TtlText.MaxTtl);
            _lastTtl = minimum;
            return minimum;
        }
        throw new ZoneSyntaxException(line, "no TTL: give the record a TTL or put a $TTL line before it");
    }

    private static bool IsMetaType(RecordType type) =>
        type is RecordType.OPT or RecordType.IXFR or RecordType.AXFR or RecordType.MAILA or RecordType.MAILB or RecordType.ANY;
}
