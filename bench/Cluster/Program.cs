using System.Globalization;
using System.Net;
using GslbDns.Bench.Cluster;
using GslbDns.Bench.Failover;

// Cluster benchmark tool, driven by bench/cluster.sh (see bench/README.md). Exits non-zero only
// when it cannot measure, never on a missed target.
//   cluster timing --server gslbdns.dll --geoip PATH --etcd URL,URL,URL   (env: REPORTS=200 TRIES=20 AGREE=quorum SEED=n)
//   cluster post --rate N --secret S --members URL,URL --alone URL        (until stopped)
//   cluster cpu-table results.jsonl ALONE-LABEL CLUSTERED-LABEL
var options = args.Skip(1).Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a, p => p.i + 2 < args.Length ? args[p.i + 2] : "", StringComparer.Ordinal);
switch (args.FirstOrDefault())
{
    case "timing" when options.ContainsKey("--server") && options.ContainsKey("--etcd"):
        return await TimingAsync(options["--server"], options.GetValueOrDefault("--geoip", "geoip"), options["--etcd"]);
    case "post" when options.ContainsKey("--secret") && options.ContainsKey("--members") && options.ContainsKey("--alone"):
        using (var stop = new CancellationTokenSource())
        {
            Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
            AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
            return await Poster.RunAsync(double.Parse(options.GetValueOrDefault("--rate", "50"), CultureInfo.InvariantCulture), options["--secret"],
                options["--members"].Split(',').Select(u => new Uri(u)).ToArray(), new Uri(options["--alone"]), stop.Token);
        }
    case "cpu-table" when args.Length == 4:
        return CpuTable.Write(args[1], args[2], args[3], Console.Out);
    default:
        Console.Error.WriteLine("usage: cluster timing --server PATH/gslbdns.dll --geoip PATH --etcd URL[,URL...]");
        Console.Error.WriteLine("       cluster post --rate N --secret S --members URL,URL --alone URL");
        Console.Error.WriteLine("       cluster cpu-table results.jsonl ALONE-LABEL CLUSTERED-LABEL");
        return 2;
}

static async Task<int> TimingAsync(string serverDll, string geoip, string etcd)
{
    int reports = EnvInt("REPORTS", 200), tries = EnvInt("TRIES", 20), seed = EnvInt("SEED", Environment.TickCount & 0x7FFFFFFF);
    string agree = Environment.GetEnvironmentVariable("AGREE") is { Length: > 0 } a ? a : "quorum";
    var log = Console.Error;
    var random = new Random(seed);
    string secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    var addressA = IPAddress.Parse("127.0.0.41");
    var addressB = IPAddress.Parse("127.0.0.42");
    int lbPort;
    using (var probe = new System.Net.Sockets.TcpListener(addressA, 0))
    {
        probe.Start();
        lbPort = ((IPEndPoint)probe.LocalEndpoint).Port;
    }
    using var lbA = new StandInLb(new IPEndPoint(addressA, lbPort));
    using var lbB = new StandInLb(new IPEndPoint(addressB, lbPort));
    lbA.Set(LbMode.Up);
    lbB.Set(LbMode.Up);

    var memberOptions = new MemberOptions(serverDll, geoip, etcd, $"/gslbdns-bench-{seed}/", secret, agree, lbPort,
        [5361, 5362, 5363], [28161, 28162, 28163], [IPAddress.Parse("127.0.0.111"), IPAddress.Parse("127.0.0.112"), IPAddress.Parse("127.0.0.113")]);
    var members = new List<Member>();
    try
    {
        for (int i = 0; i < 3; i++) members.Add(await Member.StartAsync(memberOptions, i));
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
        {
            foreach (var m in members) await m.WaitReadyAsync(http);
        }
        log.WriteLine($"# 3 members on DNS {string.Join(", ", members.Select(m => m.Dns))}, etcd {etcd}, prefix {memberOptions.Prefix}, " +
                      $"LBs {addressA}/{addressB}:{lbPort}; reports {reports}, tries {tries}, agree {agree}, seed {seed}");

        var propagation = await new Propagation(members, secret, random).RunAsync(reports, log);
        var agreement = await new Agreement(members, lbA, random).RunAsync(tries, log);
        Write(Console.Out, propagation, agreement, agree, seed);
        return 0;
    }
    catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException or HttpRequestException)
    {
        log.WriteLine("cluster: " + ex.Message);
        foreach (var m in members.Where(m => m.HasExited)) log.WriteLine($"{m.Name} exited:\n{m.LastLines()}");
        return 1;
    }
    finally
    {
        foreach (var m in members) m.Dispose();
    }
}

static void Write(TextWriter o, PropagationResult p, AgreementResult g, string agree, int seed)
{
    static string Ms(double v) => v.ToString(v < 100 ? "F1" : "F0", CultureInfo.InvariantCulture);
    o.WriteLine($"## Report propagation ({p.Reports} reports, cpu 0.99 / 0.10 alternately, to each member in turn)");
    o.WriteLine();
    o.WriteLine("Time from sending `POST /api/v1/load/www.example.com/a` to a member's first DNS answer naming the new target (ms).");
    o.WriteLine();
    o.WriteLine("| answered the new way by | median | p90 | p99 | max |");
    o.WriteLine("|---|---|---|---|---|");
    foreach (var (name, t) in new[] { ("**all three members**", p.All), ("the member posted to", p.Receiver), ("the other two", p.Others), ("(the POST's own reply)", p.Post) })
        o.WriteLine($"| {name} | {Ms(t.Median)} | {Ms(t.P90)} | {Ms(t.Percentile(0.99))} | {Ms(t.Max)} |");
    o.WriteLine();
    o.WriteLine($"Target: all three under 200 ms median: {(p.All.Median < 200 ? "met" : "MISSED")} ({Ms(p.All.Median)} ms). " +
                $"Reports not seen everywhere within 10 s: {p.TimedOut}.");
    o.WriteLine();
    o.WriteLine($"## LB failure agreement ({g.Tries} tries, `interval: 1s`, `fast-interval: 250ms`, `fall: 3`, `rise: 2`, `agree: {agree}`)");
    o.WriteLine();
    o.WriteLine("api's region a LB refuses connections from a random point of the probe schedule; time until the first and until all three members answer without it, and after the restore with it (ms).");
    o.WriteLine();
    o.WriteLine("| | median | p90 | max |");
    o.WriteLine("|---|---|---|---|");
    foreach (var (name, t) in new[] { ("break: first member answers without a", g.DownFirst), ("**break: all three**", g.DownAll),
                 ("restore: first member answers with a", g.UpFirst), ("**restore: all three**", g.UpAll) })
        o.WriteLine($"| {name} | {Ms(t.Median)} | {Ms(t.P90)} | {Ms(t.Max)} |");
    o.WriteLine();
    o.WriteLine($"Queries without a reply: {g.NoReplies} of {g.Queries}. Seed {seed}.");
    o.WriteLine();
    o.WriteLine("All values, all three (ms): break " + g.DownAll.All() + "; restore " + g.UpAll.All() + ".");
    o.WriteLine();
}

static int EnvInt(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : fallback;
