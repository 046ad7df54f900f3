using GslbDns.Configuration;
using GslbDns.Health;

namespace GslbDns.Cluster;

/// <summary>
/// The cluster options, checked and parsed: where etcd is, who this instance is, and under which key
/// prefix the instances meet. Null from <see cref="From"/> means the instance runs alone.
/// </summary>
public sealed record ClusterSettings(
    IReadOnlyList<Uri> Endpoints,
    string InstanceName,
    string Prefix,
    string? CertFile,
    string? KeyFile,
    string? CaFile,
    string? CredentialsFile,
    TimeSpan StaleAfter)
{
    public static readonly TimeSpan MinStaleAfter = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxStaleAfter = TimeSpan.FromHours(1);

    /// <summary>The settings the options describe, or null without <c>--cluster-etcd</c>; call after <see cref="Validate"/>.</summary>
    public static ClusterSettings? From(ServerOptions options)
    {
        if (ServerOptionsValidator.IsNone(options.ClusterEtcd)) return null;
        var problems = new List<string>();
        var endpoints = ParseEndpoints(options.ClusterEtcd!, problems);
        Durations.TryParse(options.ClusterStaleAfter ?? "", out var stale);
        string prefix = options.ClusterPrefix.EndsWith('/') ? options.ClusterPrefix : options.ClusterPrefix + "/";
        return new ClusterSettings(endpoints, InstanceNameOf(options), prefix, Blank(options.ClusterEtcdCert), Blank(options.ClusterEtcdKey),
            Blank(options.ClusterEtcdCa), Blank(options.ClusterEtcdCredentials), stale);
    }

    public static string InstanceNameOf(ServerOptions options) =>
        string.IsNullOrWhiteSpace(options.InstanceName) ? Environment.MachineName : options.InstanceName.Trim();

    /// <summary>Adds a problem for every cluster option that is wrong, each naming its command-line option.</summary>
    public static void Validate(ServerOptions options, List<string> problems)
    {
        bool clustered = !ServerOptionsValidator.IsNone(options.ClusterEtcd);
        if (!clustered)
        {
            // A cluster option without --cluster-etcd would silently do nothing.
            foreach (var (value, option) in new[]
                     {
                         (options.ClusterEtcdCert, "--cluster-etcd-cert"), (options.ClusterEtcdKey, "--cluster-etcd-key"),
                         (options.ClusterEtcdCa, "--cluster-etcd-ca"), (options.ClusterEtcdCredentials, "--cluster-etcd-credentials"),
                     })
            {
                if (!string.IsNullOrWhiteSpace(value)) problems.Add($"{option} needs --cluster-etcd (the etcd endpoints); without it the instance runs alone");
            }
            return;
        }
        var endpoints = ParseEndpoints(options.ClusterEtcd!, problems);
        string name = InstanceNameOf(options);
        if (!IsValidName(name))
            problems.Add($"InstanceName '{name}' must be 1-63 letters, digits, '.', '_' or '-' (--instance-name; it names this instance's keys in etcd)");
        if (string.IsNullOrWhiteSpace(options.ClusterPrefix) || !options.ClusterPrefix.StartsWith('/') || options.ClusterPrefix.Contains("//", StringComparison.Ordinal))
            problems.Add($"ClusterPrefix '{options.ClusterPrefix}' must start with '/' and hold no empty segment, such as /gslbdns/ (--cluster-prefix)");
        if (!Durations.TryParse(options.ClusterStaleAfter ?? "", out var stale) || stale < MinStaleAfter || stale > MaxStaleAfter)
            problems.Add($"ClusterStaleAfter '{options.ClusterStaleAfter}' is not a duration from {Durations.Format(MinStaleAfter)} to {Durations.Format(MaxStaleAfter)} (--cluster-stale-after, such as 5s)");
        bool cert = !string.IsNullOrWhiteSpace(options.ClusterEtcdCert), key = !string.IsNullOrWhiteSpace(options.ClusterEtcdKey);
        if (cert != key)
            problems.Add("ClusterEtcdCert and ClusterEtcdKey go together: give both (--cluster-etcd-cert and --cluster-etcd-key) or neither");
        foreach (var (value, option) in new[]
                 {
                     (options.ClusterEtcdCert, "--cluster-etcd-cert"), (options.ClusterEtcdKey, "--cluster-etcd-key"),
                     (options.ClusterEtcdCa, "--cluster-etcd-ca"), (options.ClusterEtcdCredentials, "--cluster-etcd-credentials"),
                 })
        {
            if (!string.IsNullOrWhiteSpace(value) && !File.Exists(value)) problems.Add($"{option} '{value}': no such file");
        }
        if ((cert || !string.IsNullOrWhiteSpace(options.ClusterEtcdCa)) && endpoints.Any(e => e.Scheme == Uri.UriSchemeHttp))
            problems.Add("--cluster-etcd: TLS options are given but an endpoint is http://; use https:// endpoints with --cluster-etcd-cert/-key/-ca");
    }

    private static List<Uri> ParseEndpoints(string text, List<string> problems)
    {
        var endpoints = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Uri.TryCreate(part, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host)
                && uri.AbsolutePath == "/" && !part.EndsWith(":", StringComparison.Ordinal))
            {
                endpoints.Add(uri);
            }
            else
            {
                problems.Add($"--cluster-etcd: '{part}' is not an etcd endpoint URL such as http://10.0.0.1:2379 or https://etcd-0.etcd:2379");
            }
        }
        if (endpoints.Count == 0 && problems.Count == 0) problems.Add("--cluster-etcd gives no endpoint; list etcd's client URLs, comma-separated");
        return endpoints;
    }

    private static bool IsValidName(string name) =>
        name.Length is >= 1 and <= 63 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
