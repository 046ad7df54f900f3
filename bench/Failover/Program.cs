using System.Globalization;
using System.Net;
using GslbDns.Bench.Failover;

// Failover benchmark: the real gslbdns process, real HTTP listeners as LBs on loopback, and a
// client asking DNS every 20 ms. See bench/README.md. Exits non-zero only when it cannot measure.
var options = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a, p => p.i + 1 < args.Length ? args[p.i + 1] : "", StringComparer.Ordinal);
if (!options.TryGetValue("--server", out var serverDll) || !File.Exists(serverDll))
{
    Console.Error.WriteLine("usage: failover --server PATH/gslbdns.dll [--geoip DIR]   (env: TRIES=20 FLAP_SECONDS=300 SEED=n)");
    return 2;
}
string geoip = options.GetValueOrDefault("--geoip", "geoip");
int tries = EnvInt("TRIES", 20);
int flapSeconds = EnvInt("FLAP_SECONDS", 300);
int seed = EnvInt("SEED", Environment.TickCount & 0x7FFFFFFF);

var addressA = IPAddress.Parse("127.0.0.11");
var addressB = IPAddress.Parse("127.0.0.21");
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

try
{
    using var server = await GslbProcess.StartAsync(serverDll, geoip, lbPort);
    var runs = new Runs(server, lbA, new Random(seed));
    var log = Console.Error;
    log.WriteLine($"# gslbdns on {server.Dns}, API {server.Api}, LBs on port {lbPort}; tries {tries}, flap {flapSeconds} s, seed {seed}");
    var results = new List<VariantResult>
    {
        await runs.FailoverAsync("refused", LbMode.Refused, tries, log),
        await runs.FailoverAsync("blackhole", LbMode.Blackhole, tries, log),
    };
    log.WriteLine($"# flap run: {flapSeconds} s");
    var flap = await runs.FlapAsync(TimeSpan.FromSeconds(flapSeconds));
    Report.Write(Console.Out, results, flap, tries, seed);
    return 0;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine("failover: " + ex.Message);
    return 1;
}

static int EnvInt(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : fallback;
