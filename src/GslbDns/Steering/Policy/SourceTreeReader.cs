using GslbDns.Zones;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GslbDns.Steering.Policy;

/// <summary>
/// Builds a <see cref="SourceNode"/> tree from YamlDotNet's event parser. The event level is used
/// rather than the representation model because the model throws on a duplicate key, and a policy
/// file should report every repeated name with its line in one pass.
/// </summary>
internal static class SourceTreeReader
{
    /// <summary>Deeper nesting than any policy needs; a bound keeps hostile input off the stack limit.</summary>
    private const int MaxDepth = 64;

    /// <summary>Reads the single document in <paramref name="text"/>; null when it is empty or unparsable.</summary>
    public static SourceNode? Read(string text, string file, List<ZoneProblem> problems)
    {
        var scanner = new Scanner(new StringReader(text));
        var reading = new Reading(new Parser(scanner), file, problems);
        try
        {
            var parser = reading.Parser;
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            var root = ReadNode(reading, depth: 0);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                problems.Add(new ZoneProblem(At(file, parser.Current?.Start ?? Mark.Empty),
                    "more than one YAML document; a policy file holds exactly one"));
                return null;
            }
            return root;
        }
        catch (YamlException e)
        {
            // A tab in indentation is reported at the start of the enclosing mapping; the tab's own line helps more.
            var location = At(file, e.Start);
            if (e.Message.Contains("tab", StringComparison.Ordinal) && FirstTabIndentedLine(text, location.Line) is int tabLine)
            {
                location = location with { Line = tabLine };
            }
            // A flow collection still open on an earlier line when the parser wanted its ',' or closing
            // bracket was never closed; its own line is where the fix goes, not where the parser gave up.
            if (e.Message.Contains("did not find expected ','", StringComparison.Ordinal)
                && reading.OpenFlow.TryPeek(out var unclosed) && At(file, unclosed.Mark).Line < location.Line)
            {
                problems.Add(new ZoneProblem(At(file, unclosed.Mark), $"YAML syntax error: this '{unclosed.Bracket}' is not closed {Skipped}"));
                return null;
            }
            problems.Add(new ZoneProblem(location, $"YAML syntax error: {CleanMessage(e.Message)} {Skipped}"));
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // YamlDotNet's scanner throws exceptions without a position (InvalidOperationException for
            // a flow collection that runs into the next block line); an open '{' or '[' is then the
            // likely cause, so name its line, otherwise the line the scanner had reached.
            problems.Add(reading.OpenFlow.TryPeek(out var open)
                ? new ZoneProblem(At(file, open.Mark), $"YAML syntax error: this '{open.Bracket}' is not closed {Skipped}")
                : new ZoneProblem(At(file, scanner.CurrentPosition), $"YAML syntax error: the YAML reader stopped here ({e.Message}) {Skipped}"));
            return null;
        }
    }

    private const string Skipped = "(further checks skipped)";

    /// <summary>One read: the event source, the anchors seen so far, and the flow collections still open.</summary>
    private sealed class Reading(IParser parser, string file, List<ZoneProblem> problems)
    {
        public IParser Parser { get; } = parser;
        public string File { get; } = file;
        public List<ZoneProblem> Problems { get; } = problems;
        public Dictionary<string, SourceNode> Anchors { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Mark> AnchorMarks { get; } = new(StringComparer.Ordinal);
        public Stack<(Mark Mark, char Bracket)> OpenFlow { get; } = new();
    }

    private static SourceNode ReadNode(Reading reading, int depth)
    {
        var parser = reading.Parser;
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        if (depth > MaxDepth) throw new YamlException(current.Start, current.End, $"nested deeper than {MaxDepth} levels");
        switch (current)
        {
            case AnchorAlias alias:
            {
                parser.MoveNext();
                if (reading.Anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no earlier anchor");
            }
            case Scalar scalar:
            {
                parser.MoveNext();
                var node = new SourceScalar(At(reading.File, scalar.Start), scalar.Value, scalar.Style is not ScalarStyle.Plain);
                Remember(reading, scalar, node);
                return node;
            }
            case SequenceStart start:
            {
                Open(reading, start, start.Style == SequenceStyle.Flow, '[');
                var items = new List<SourceNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(reading, depth + 1));
                }
                Close(reading, start.Style == SequenceStyle.Flow);
                var node = new SourceSequence(At(reading.File, start.Start), items);
                Remember(reading, start, node);
                return node;
            }
            case MappingStart start:
            {
                Open(reading, start, start.Style == MappingStyle.Flow, '{');
                var entries = new List<KeyValuePair<SourceScalar, SourceNode>>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(reading, depth + 1);
                    var value = ReadNode(reading, depth + 1);
                    if (key is SourceScalar scalarKey)
                    {
                        entries.Add(new(scalarKey, value));
                    }
                    else
                    {
                        reading.Problems.Add(new ZoneProblem(key.Location, $"a mapping key must be a plain name, found {key.Kind}"));
                    }
                }
                Close(reading, start.Style == MappingStyle.Flow);
                var node = new SourceMapping(At(reading.File, start.Start), entries);
                Remember(reading, start, node);
                return node;
            }
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private static void Open(Reading reading, ParsingEvent start, bool isFlow, char bracket)
    {
        if (isFlow) reading.OpenFlow.Push((start.Start, bracket));
        reading.Parser.MoveNext();
    }

    private static void Close(Reading reading, bool isFlow)
    {
        if (isFlow) reading.OpenFlow.Pop();
    }

    /// <summary>
    /// YAML lets a later anchor of the same name replace an earlier one; in a configuration file that
    /// is almost always a copy-paste slip that silently changes what later aliases mean, so it is an error.
    /// </summary>
    private static void Remember(Reading reading, NodeEvent e, SourceNode node)
    {
        if (e.Anchor.IsEmpty) return;
        string name = e.Anchor.Value;
        if (reading.AnchorMarks.TryGetValue(name, out var first))
        {
            reading.Problems.Add(new ZoneProblem(At(reading.File, e.Start),
                $"anchor &{name} is already defined at line {first.Line}; give this one another name"));
            return;
        }
        reading.AnchorMarks.Add(name, e.Start);
        reading.Anchors.Add(name, node);
    }

    /// <summary>The first line at or after <paramref name="fromLine"/> whose indentation holds a tab (YAML 1.2 §6.1 forbids it).</summary>
    private static int? FirstTabIndentedLine(string text, int fromLine)
    {
        int line = 1;
        foreach (var content in text.Split('\n'))
        {
            if (line >= fromLine && content.TrimStart(' ').StartsWith('\t')) return line;
            line++;
        }
        return null;
    }

    private static SourceLocation At(string file, Mark mark) => new(file, checked((int)Math.Max(1, mark.Line)));

    /// <summary>YamlDotNet prefixes messages with "(Line: x, Col: y, ...)"; the location is reported separately.</summary>
    private static string CleanMessage(string message)
    {
        if (message.StartsWith('(') && message.IndexOf("): ", StringComparison.Ordinal) is var close and > 0)
        {
            return message[(close + 3)..];
        }
        return message;
    }
}
