namespace GslbDns.Load;

/// <summary>What HAProxy's CSV stats say about the servers of the backends counted.</summary>
/// <param name="Connections">Sum of <c>scur</c> over the servers in service.</param>
/// <param name="Capacity">Sum of their <c>slim</c> when every one of them has a limit; null otherwise (the policy's capacity applies).</param>
/// <param name="ServersUp">Servers in service: status <c>UP…</c> or <c>no check</c>.</param>
/// <param name="Servers">Every server row of the backends counted.</param>
public readonly record struct HaproxyLoad(long Connections, long? Capacity, int ServersUp, int Servers);

/// <summary>
/// Reads HAProxy's CSV stats (the stats page with <c>;csv</c>, or <c>show stat</c>): a header line
/// <c># pxname,svname,…</c>, then one row per frontend, server and backend. Columns are found by name,
/// since their set grows between HAProxy versions.
/// </summary>
public static class HaproxyCsv
{
    public const string HeaderStart = "# pxname,svname,";

    /// <summary>
    /// Sums the servers (rows other than FRONTEND and BACKEND) of <paramref name="backend"/> (every
    /// backend when null). Only servers in service count: a DOWN, MAINT, DRAIN or NOLB server takes no
    /// new connections, so neither its sessions nor its limit say anything about the spare room.
    /// </summary>
    /// <exception cref="FormatException">No header, a missing column, a bad number, or no such backend.</exception>
    public static HaproxyLoad Parse(string csv, string? backend)
    {
        using var lines = new StringReader(csv);
        string? header = lines.ReadLine();
        while (header is not null && header.Trim().Length == 0) header = lines.ReadLine();
        header = header?.TrimStart('\uFEFF');
        if (header is null || !header.StartsWith(HeaderStart, StringComparison.Ordinal))
        {
            throw new FormatException($"not HAProxy CSV stats: no '{HeaderStart}' header line");
        }
        var columns = Split(header[2..]);
        int pxname = Column(columns, "pxname"), svname = Column(columns, "svname"), scur = Column(columns, "scur"),
            slim = Column(columns, "slim"), status = Column(columns, "status");
        long connections = 0, capacity = 0;
        bool everyLimited = true, found = false;
        int up = 0, servers = 0, number = 1;
        for (string? line = lines.ReadLine(); line is not null; line = lines.ReadLine())
        {
            number++;
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = Split(line);
            if (fields.Count <= Math.Max(Math.Max(pxname, svname), Math.Max(Math.Max(scur, slim), status)))
            {
                throw new FormatException($"line {number}: {fields.Count} fields, fewer than the header's columns");
            }
            if (backend is not null && !string.Equals(fields[pxname], backend, StringComparison.Ordinal)) continue;
            found = true;
            if (fields[svname] is "FRONTEND" or "BACKEND") continue;
            servers++;
            var state = fields[status];
            if (!state.StartsWith("UP", StringComparison.Ordinal) && state != "no check") continue;
            up++;
            connections += Number(fields[scur], "scur", number) ?? 0;
            if (Number(fields[slim], "slim", number) is { } limit) capacity += limit;
            else everyLimited = false;
        }
        if (backend is not null && !found) throw new FormatException($"no backend '{backend}' in the stats");
        return new HaproxyLoad(connections, up > 0 && everyLimited ? capacity : null, up, servers);
    }

    private static int Column(List<string> columns, string name)
    {
        int index = columns.IndexOf(name);
        return index >= 0 ? index : throw new FormatException($"the header has no '{name}' column");
    }

    private static long? Number(string text, string column, int line)
    {
        if (text.Length == 0) return null;
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new FormatException($"line {line}: {column} '{text}' is not a number");
    }

    /// <summary>Splits a CSV line; HAProxy quotes a field with double quotes when it holds a comma or a quote.</summary>
    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
