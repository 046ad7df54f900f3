using System.Globalization;

namespace GslbDns.Load;

/// <summary>
/// The load of one HAProxy backend (or of all of them) as read from its CSV statistics.
/// </summary>
/// <param name="Connections">Current sessions (<c>scur</c>) summed over the servers that are up.</param>
/// <param name="Capacity">
/// Session limits (<c>slim</c>) summed over the servers that are up; null when any of them has no
/// limit, because an unlimited server makes the total unknown rather than smaller.
/// </param>
/// <param name="ServersUp">Servers whose status is <c>UP</c> (including <c>UP 1/3</c> going down) or <c>no check</c>.</param>
/// <param name="Servers">Every server row of the chosen backends, whatever its status.</param>
public readonly record struct HaproxyLoad(long Connections, long? Capacity, int ServersUp, int Servers);

/// <summary>
/// Parses HAProxy's CSV statistics, as the stats socket answers <c>show stat</c> and the stats page
/// serves at <c>…/stats;csv</c>. Self-contained (no I/O, no other GslbDns types) so the reporter
/// beside a load balancer and the server polling HAProxy itself read it the same way.
/// </summary>
/// <remarks>
/// The format: a header line <c># pxname,svname,qcur,qmax,scur,smax,slim,…</c>, then one line per
/// frontend, server and backend, each line ending in a comma. Columns are found by their header name,
/// never by position, because HAProxy appends columns in every release. Rows whose <c>svname</c> is
/// <c>FRONTEND</c> or <c>BACKEND</c> are the proxies' aggregates and are not counted as servers: the
/// BACKEND row's <c>scur</c> would double the servers' and its <c>slim</c> is the backend's own
/// <c>fullconn</c>-derived limit, not the servers' capacity.
/// </remarks>
public static class HaproxyCsv
{
    private static readonly string[] RequiredColumns = ["pxname", "svname", "scur", "slim", "status"];

    /// <summary>Sums the load of the servers of <paramref name="backend"/>, or of every backend when it is null.</summary>
    /// <param name="csv">The whole CSV text, header included; blank lines are ignored.</param>
    /// <param name="backend">A proxy name (<c>pxname</c>, compared exactly as HAProxy does), or null for all.</param>
    /// <exception cref="FormatException">
    /// The text has no header line (the first line starting with <c>#</c>), the header lacks one of <c>pxname</c>, <c>svname</c>,
    /// <c>scur</c>, <c>slim</c>, <c>status</c>, a server's <c>scur</c> or <c>slim</c> is not a number,
    /// or <paramref name="backend"/> names no proxy in the statistics.
    /// </exception>
    public static HaproxyLoad Parse(string csv, string? backend)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var lines = csv.Split('\n');
        int headerLine = Array.FindIndex(lines, l => l.TrimStart().StartsWith('#'));
        if (headerLine < 0)
        {
            throw new FormatException("HAProxy stats: no '# pxname,svname,...' header line (is this the CSV output of 'show stat' or '/stats;csv'?)");
        }

        var header = SplitFields(lines[headerLine].TrimStart().TrimStart('#').Trim());
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++) index.TryAdd(header[i].Trim(), i);
        var missing = RequiredColumns.Where(c => !index.ContainsKey(c)).ToArray();
        if (missing.Length > 0)
        {
            throw new FormatException($"HAProxy stats: header has no column(s) {string.Join(", ", missing)}");
        }
        int px = index["pxname"], sv = index["svname"], scur = index["scur"], slim = index["slim"], status = index["status"];
        int width = new[] { px, sv, scur, slim, status }.Max() + 1;

        long connections = 0, capacity = 0;
        bool capacityKnown = true, proxyFound = backend is null;
        int up = 0, servers = 0;
        for (int n = headerLine + 1; n < lines.Length; n++)
        {
            string line = lines[n].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            var fields = SplitFields(line);
            if (fields.Count < width)
            {
                throw new FormatException($"HAProxy stats: line {n + 1} has {fields.Count} fields, fewer than the header's columns");
            }
            if (backend is not null && !string.Equals(fields[px], backend, StringComparison.Ordinal)) continue;
            proxyFound = true;
            if (fields[sv] is "FRONTEND" or "BACKEND") continue;

            servers++;
            if (!IsUp(fields[status])) continue;
            up++;
            connections += Number(fields[scur], "scur", n);
            if (fields[slim].Length == 0) capacityKnown = false;
            else capacity += Number(fields[slim], "slim", n);
        }
        if (!proxyFound)
        {
            throw new FormatException($"HAProxy stats: no proxy named '{backend}'");
        }
        return new HaproxyLoad(connections, capacityKnown ? capacity : null, up, servers);
    }

    /// <summary>
    /// Servers taking new sessions: <c>UP</c>, <c>UP n/m</c> (failing checks but not yet down) and
    /// <c>no check</c> (not health checked, so always used). DOWN, MAINT, DRAIN and NOLB take none.
    /// </summary>
    private static bool IsUp(string status) =>
        status.StartsWith("UP", StringComparison.Ordinal) || status == "no check";

    private static long Number(string text, string column, int line) =>
        text.Length == 0 ? 0
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value
        : throw new FormatException($"HAProxy stats: line {line + 1}: {column} '{text}' is not a number");

    /// <summary>
    /// Splits one CSV line. HAProxy quotes a field with double quotes when its text (a check
    /// description, an agent's message) holds a comma or a quote, doubling quotes inside.
    /// </summary>
    private static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
