using GslbDns.Protocol;
using GslbDns.Zones;

namespace GslbDns.Steering.Policy;

/// <summary>
/// Reads and validates a steering policy file (<c>zones/&lt;zone&gt;.gslb.yaml</c>, see docs/policy.md).
/// Every problem is reported with its file and line; a document is returned only when there are none.
/// </summary>
public static class PolicyReader
{
    /// <param name="zone">
    /// Optional view of the zone the policy steers; when given, targets must own A/AAAA records and
    /// steered names must not own records that would conflict with the steered answer.
    /// </param>
    public static (PolicyDocument? Document, IReadOnlyList<ZoneProblem> Problems) Read(
        string path, DnsName zoneOrigin, IPolicyZoneView? zone = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [new ZoneProblem(new SourceLocation(path, 0), "cannot read policy file: " + e.Message)]);
        }
        return ReadText(text, path, zoneOrigin, zone);
    }

    /// <param name="file">Name used in problem locations.</param>
    public static (PolicyDocument? Document, IReadOnlyList<ZoneProblem> Problems) ReadText(
        string text, string file, DnsName zoneOrigin, IPolicyZoneView? zone = null)
    {
        var problems = new List<ZoneProblem>();
        var root = SourceTreeReader.Read(text, file, problems);
        if (problems.Count > 0) return (null, problems);
        if (root is null)
        {
            problems.Add(new ZoneProblem(new SourceLocation(file, 1), "policy file is empty; it needs a 'services' mapping"));
            return (null, problems);
        }
        var document = new PolicyParser(file, zoneOrigin, new SourceFields(problems)).Parse(root);
        if (document is not null && zone is not null) PolicyZoneCheck.Check(document, zone, problems);
        // Stable sort: problems come out in file order, several on one line in the order found.
        // A bad default applies to every region that inherits it: report it once.
        return problems.Count == 0 ? (document, problems) : (null, problems.Distinct().OrderBy(p => p.Location.Line).ToArray());
    }
}
