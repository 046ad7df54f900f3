using System.Globalization;
using GslbDns.Api;

namespace GslbDns.Commands;

/// <summary><c>gslbdns status [--api URL] [--token-file F]</c>: a running server's services and regions, as a table.</summary>
public static class StatusCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var client = ApiClient.Create(args, needsToken: false, out var rest, out var error);
        if (client is null || rest.Count > 0)
        {
            stderr.WriteLine($"gslbdns status: {(client is null ? error : $"unexpected '{rest[0]}'")}");
            stderr.WriteLine("usage: gslbdns status [--api URL] [--token-file F]");
            return 2;
        }
        if (ApiClient.GetJson(client.Http, client.BaseAddress, "/api/v1/status", StatusJsonContext.Default.StatusDocument, "status", out error)
            is not { } document)
        {
            stderr.WriteLine($"gslbdns status: {error}");
            return 1;
        }
        stdout.Write(Table(document));
        return 0;
    }

    /// <summary>The table: one row per region, the service named on its first row; columns as wide as their content.</summary>
    public static string Table(StatusDocument document)
    {
        var rows = new List<string[]> { new[] { "SERVICE", "REGION", "HEALTH", "ADMIN", "LOAD", "SHED", "REPORT", "ANSWERS" } };
        foreach (var service in document.Services)
        {
            bool first = true;
            foreach (var region in service.Regions)
            {
                rows.Add([
                    first ? service.Service : "",
                    region.Region,
                    region.Health,
                    region.Admin + (region.AdminSources.Api ? " (api)" : region.AdminSources.Agent ? " (agent)" : ""),
                    region.Load.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "-",
                    Percent(region.Load.ShedShare),
                    Report(region.Load.Report) + Pull(region.Load.Pull),
                    Percent(region.AnswerShare),
                ]);
                first = false;
            }
        }
        if (document.Services.Count == 0) return "no steered services are served\n" + Members(document.Cluster);
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        var text = new System.Text.StringBuilder();
        foreach (var row in rows)
        {
            var line = new System.Text.StringBuilder();
            for (int i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString() + Members(document.Cluster);
    }

    /// <summary>Clustered: the shared store's state and one row per member.</summary>
    public static string Members(Cluster.ClusterView? cluster)
    {
        if (cluster is null) return "";
        var text = new System.Text.StringBuilder();
        text.Append('\n').Append($"CLUSTER  instance {cluster.Instance}, etcd {cluster.Store} at {cluster.Endpoint}, revision {cluster.Revision}");
        if (cluster.DownSince is { } since) text.Append($", unreachable since {since:u}");
        if (cluster.Problem is { } problem) text.Append($" ({problem})");
        text.Append('\n');
        var rows = new List<string[]> { new[] { "MEMBER", "VERSION", "API", "HEARTBEAT" } };
        foreach (var member in cluster.Members)
        {
            rows.Add([member.Name + (member.Self ? " *" : ""), member.Version, member.Api ?? "-", Age(member.HeartbeatAgeSeconds) + " ago"]);
        }
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }
        foreach (var row in rows)
        {
            text.Append(string.Concat(row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i] + 2))).TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    private static string Percent(double share) => Math.Round(share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Report(LoadReportView? report)
    {
        if (report is null) return "none";
        string age = Age(report.AgeSeconds) + " ago";
        return report.Valid ? age : age + " (expired)";
    }

    /// <summary>For a region whose load the server polls: whether the polls work.</summary>
    private static string Pull(LoadPullView? pull) => pull is null ? "" : pull.Failing ? ", pull failing" : ", pulled";

    private static string Age(double seconds) => seconds switch
    {
        < 120 => ((long)seconds).ToString(CultureInfo.InvariantCulture) + "s",
        < 7200 => ((long)(seconds / 60)).ToString(CultureInfo.InvariantCulture) + "m",
        _ => ((long)(seconds / 3600)).ToString(CultureInfo.InvariantCulture) + "h",
    };

    internal static string OneLine(Exception e) => (e is TaskCanceledException ? "timed out" : e.Message).ReplaceLineEndings(" ");
}
