using System.Text;

namespace GslbDns.Zones.Reading;

/// <summary>
/// Splits master-file text into entries and fields (RFC 1035 §5.1): white space separates fields,
/// ';' starts a comment outside quotes, '(' and ')' let an entry continue over line ends, '"' quotes
/// a field that may hold white space, and '\' escapes the next character.
/// </summary>
internal static class MasterFileTokenizer
{
    public static List<MasterFileEntry> Split(string text, string file, List<ZoneProblem> problems)
    {
        var entries = new List<MasterFileEntry>();
        var tokens = new List<MasterFileToken>();
        var current = new StringBuilder();
        bool inToken = false, entryOpen = false, entryBroken = false, ownerField = false;
        int line = 1, tokenLine = 1, entryLine = 1, depth = 0, parenLine = 0;

        void Problem(int atLine, string message) => problems.Add(new ZoneProblem(new SourceLocation(file, atLine), message));

        void OpenEntry(bool atColumnZero, bool isField)
        {
            if (entryOpen) return;
            entryOpen = true;
            entryLine = line;
            ownerField = atColumnZero && isField;
        }

        void FlushToken()
        {
            if (!inToken) return;
            tokens.Add(new MasterFileToken(current.ToString(), false, tokenLine));
            current.Clear();
            inToken = false;
        }

        void EndEntry()
        {
            FlushToken();
            if (entryOpen && !entryBroken && tokens.Count > 0)
            {
                entries.Add(new MasterFileEntry(tokens.ToArray(), entryLine, ownerField));
            }
            tokens.Clear();
            entryOpen = false;
            entryBroken = false;
        }

        void StartToken(bool atColumnZero)
        {
            if (inToken) return;
            OpenEntry(atColumnZero, isField: true);
            inToken = true;
            tokenLine = line;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool atColumnZero = i == 0 || text[i - 1] == '\n';
            switch (c)
            {
                case '\n':
                    FlushToken();
                    if (depth == 0) EndEntry();
                    line++;
                    break;
                case ' ' or '\t' or '\r':
                    FlushToken();
                    break;
                case ';':
                    FlushToken();
                    while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                    break;
                case '(':
                    FlushToken();
                    OpenEntry(atColumnZero, isField: false);
                    if (depth == 0) parenLine = line;
                    depth++;
                    break;
                case ')':
                    FlushToken();
                    if (depth == 0)
                    {
                        Problem(line, "')' without a matching '('");
                        OpenEntry(atColumnZero, isField: false);
                        entryBroken = true;
                    }
                    else
                    {
                        depth--;
                    }
                    break;
                case '"':
                {
                    FlushToken();
                    OpenEntry(atColumnZero, isField: true);
                    int start = line;
                    var quoted = new StringBuilder();
                    int j = i + 1;
                    bool closed = false;
                    while (j < text.Length)
                    {
                        char q = text[j];
                        if (q == '\\' && j + 1 < text.Length && text[j + 1] != '\n')
                        {
                            quoted.Append(q).Append(text[j + 1]);
                            j += 2;
                            continue;
                        }
                        if (q == '"')
                        {
                            closed = true;
                            break;
                        }
                        if (q == '\n') break;
                        quoted.Append(q);
                        j++;
                    }
                    if (closed)
                    {
                        tokens.Add(new MasterFileToken(quoted.ToString(), true, start));
                        i = j;
                    }
                    else
                    {
                        Problem(start, "quoted string is not closed before the end of the line");
                        entryBroken = true;
                        i = j - 1;
                    }
                    break;
                }
                case '\\':
                    StartToken(atColumnZero);
                    current.Append(c);
                    if (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        current.Append(text[i + 1]);
                        i++;
                    }
                    break;
                default:
                    StartToken(atColumnZero);
                    current.Append(c);
                    break;
            }
        }

        FlushToken();
        if (depth > 0)
        {
            // The entry swallowed the rest of the file, so nothing after it could be read: report
            // where it began rather than EOF, and say that the lines after it went unchecked.
            Problem(parenLine, "'(' is never closed: the entry runs to the end of the file (further checks skipped)");
            tokens.Clear();
            entryOpen = false;
        }
        EndEntry();
        return entries;
    }
}
