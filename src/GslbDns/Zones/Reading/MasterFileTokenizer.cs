namespace GslbDns.Zones.Reading;

/// <summary>
/// Splits master-file text into entries and fields (RFC 1035 §5.1): white space separates fields,
/// ';' starts a comment outside quotes, '(' and ')' let an entry continue over line ends, '"' quotes
/// a field that may hold white space, and '\' escapes the next character.
/// Entries are handed out one at a time and fields are slices of the text, so a file of a million
/// records is split without a string or an array per record.
/// </summary>
internal sealed class MasterFileTokenizer
{
    private readonly string _text;
    private readonly string _file;
    private readonly List<ZoneProblem> _problems;
    private readonly List<MasterFileToken> _tokens = new(16);
    private int _i;
    private int _line = 1, _tokenLine = 1, _tokenStart, _entryLine = 1, _depth, _parenLine;
    private bool _inToken, _entryOpen, _entryBroken, _ownerField, _finished;

    /// <param name="problems">Where syntax problems go, in the order they are found.</param>
    public MasterFileTokenizer(string text, string file, List<ZoneProblem> problems)
    {
        _text = text;
        _file = file;
        _problems = problems;
    }

    /// <summary>The next entry; its token list is reused by the call after.</summary>
    public bool TryNext(out MasterFileEntry entry)
    {
        string text = _text;
        if (_finished)
        {
            entry = default;
            return false;
        }
        if (_entryDone) ClearEntry();
        for (; _i < text.Length; _i++)
        {
            char c = text[_i];
            bool atColumnZero = _i == 0 || text[_i - 1] == '\n';
            switch (c)
            {
                case '\n':
                    FlushToken();
                    bool ended = _depth == 0 && EndEntry();
                    _line++;
                    if (ended)
                    {
                        _i++;
                        entry = new MasterFileEntry(_tokens, _entryLine, _ownerField);
                        return true;
                    }
                    break;
                case ' ' or '\t' or '\r':
                    FlushToken();
                    break;
                case ';':
                    FlushToken();
                    int newline = text.IndexOf('\n', _i + 1);
                    _i = (newline < 0 ? text.Length : newline) - 1;
                    break;
                case '(':
                    FlushToken();
                    OpenEntry(atColumnZero, isField: false);
                    if (_depth == 0) _parenLine = _line;
                    _depth++;
                    break;
                case ')':
                    FlushToken();
                    if (_depth == 0)
                    {
                        Problem(_line, "')' without a matching '('");
                        OpenEntry(atColumnZero, isField: false);
                        _entryBroken = true;
                    }
                    else
                    {
                        _depth--;
                    }
                    break;
                case '"':
                    FlushToken();
                    OpenEntry(atColumnZero, isField: true);
                    Quoted();
                    break;
                case '\\':
                    StartToken(atColumnZero);
                    if (_i + 1 < text.Length && text[_i + 1] != '\n') _i++;
                    break;
                default:
                    StartToken(atColumnZero);
                    break;
            }
        }

        _finished = true;
        FlushToken();
        if (_depth > 0)
        {
            // The entry swallowed the rest of the file, so nothing after it could be read: report
            // where it began rather than EOF, and say that the lines after it went unchecked.
            Problem(_parenLine, "'(' is never closed: the entry runs to the end of the file (further checks skipped)");
            _tokens.Clear();
            _entryOpen = false;
        }
        if (EndEntry())
        {
            entry = new MasterFileEntry(_tokens, _entryLine, _ownerField);
            return true;
        }
        entry = default;
        return false;
    }

    private bool _entryDone;

    /// <summary>The text between the quotes, escapes kept; the closing quote must be on the same line.</summary>
    private void Quoted()
    {
        string text = _text;
        int start = _line;
        int j = _i + 1;
        bool closed = false;
        while (j < text.Length)
        {
            char q = text[j];
            if (q == '\\' && j + 1 < text.Length && text[j + 1] != '\n')
            {
                j += 2;
                continue;
            }
            if (q == '"')
            {
                closed = true;
                break;
            }
            if (q == '\n') break;
            j++;
        }
        if (closed)
        {
            _tokens.Add(new MasterFileToken(text, _i + 1, j - _i - 1, true, start));
            _i = j;
        }
        else
        {
            Problem(start, "quoted string is not closed before the end of the line");
            _entryBroken = true;
            _i = j - 1;
        }
    }

    private void Problem(int atLine, string message) => _problems.Add(new ZoneProblem(new SourceLocation(_file, atLine), message));

    private void OpenEntry(bool atColumnZero, bool isField)
    {
        if (_entryOpen) return;
        _entryOpen = true;
        _entryLine = _line;
        _ownerField = atColumnZero && isField;
    }

    private void StartToken(bool atColumnZero)
    {
        if (_inToken) return;
        OpenEntry(atColumnZero, isField: true);
        _inToken = true;
        _tokenLine = _line;
        _tokenStart = _i;
    }

    private void FlushToken()
    {
        if (!_inToken) return;
        _tokens.Add(new MasterFileToken(_text, _tokenStart, _i - _tokenStart, false, _tokenLine));
        _inToken = false;
    }

    /// <summary>Closes the open entry; true when it is one to hand out (the caller then clears it on the next call).</summary>
    private bool EndEntry()
    {
        FlushToken();
        bool complete = _entryOpen && !_entryBroken && _tokens.Count > 0;
        if (complete)
        {
            _entryDone = true;
            return true;
        }
        ClearEntry();
        return false;
    }

    private void ClearEntry()
    {
        _tokens.Clear();
        _entryOpen = false;
        _entryBroken = false;
        _entryDone = false;
    }
}
