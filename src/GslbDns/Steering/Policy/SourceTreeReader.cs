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
    /// <summary>Reads the single document in <paramref name="text"/>; null when it is empty or unparsable.</summary>
    public static SourceNode? Read(string text, string file, List<ZoneProblem> problems)
    {
        var anchors = new Dictionary<string, SourceNode>(StringComparer.Ordinal);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, file, anchors, problems);
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
            problems.Add(new ZoneProblem(At(file, e.Start), "YAML syntax error: " + CleanMessage(e.Message)));
            return null;
        }
    }

    private static SourceNode ReadNode(IParser parser, string file, Dictionary<string, SourceNode> anchors, List<ZoneProblem> problems)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        switch (current)
        {
            case AnchorAlias alias:
            {
                parser.MoveNext();
                if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value.Value} names no earlier anchor");
            }
            case Scalar scalar:
            {
                parser.MoveNext();
                var node = new SourceScalar(At(file, scalar.Start), scalar.Value, scalar.Style is not ScalarStyle.Plain);
                Remember(scalar, node, anchors);
                return node;
            }
            case SequenceStart start:
            {
                parser.MoveNext();
                var items = new List<SourceNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, file, anchors, problems));
                }
                var node = new SourceSequence(At(file, start.Start), items);
                Remember(start, node, anchors);
                return node;
            }
            case MappingStart start:
            {
                parser.MoveNext();
                var entries = new List<KeyValuePair<SourceScalar, SourceNode>>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, file, anchors, problems);
                    var value = ReadNode(parser, file, anchors, problems);
                    if (key is SourceScalar scalarKey)
                    {
                        entries.Add(new(scalarKey, value));
                    }
                    else
                    {
                        problems.Add(new ZoneProblem(key.Location, $"a mapping key must be a plain name, found {key.Kind}"));
                    }
                }
                var node = new SourceMapping(At(file, start.Start), entries);
                Remember(start, node, anchors);
                return node;
            }
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    private static void Remember(NodeEvent e, SourceNode node, Dictionary<string, SourceNode> anchors)
    {
        if (!e.Anchor.IsEmpty) anchors[e.Anchor.Value] = node;
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
