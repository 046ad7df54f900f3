using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>
/// Debian's real secondaries (knotd, nsd, named) as secondaries of GslbDns on loopback with TSIG:
/// each transfers the zone, answers the steered names with their fallback, follows a change after
/// NOTIFY, and gets no zone with a wrong key. Skipped where the program is not installed.
/// </summary>
public sealed class SecondaryServerTests
{
    private const string KeyName = "transfer-key";
    private const string Secret = "nbokF4dJW9doNrToqEmlVrsg79UQXFcQQEsJUqFRY9U=";
    private const string WrongSecret = "c2Vjb25kIHNlY3JldCB0aGF0IGlzIG5vdCB0aGUga2V5";

    public delegate SecondaryProcess Launcher(int primaryPort, string secret);

    private static SecondaryProcess Knot(int primaryPort, string secret) => SecondaryProcess.Start(SecondaryProcess.Find("knotd")!, (folder, port) => $"""
        server:
            rundir: "{folder}"
            listen: 127.0.0.1@{port}
        log:
          - target: stderr
            any: info
        database:
            storage: "{folder}"
        key:
          - id: {KeyName}
            algorithm: hmac-sha256
            secret: {secret}
        remote:
          - id: primary
            address: 127.0.0.1@{primaryPort}
            key: {KeyName}
        acl:
          - id: notify-from-primary
            address: 127.0.0.1
            key: {KeyName}
            action: notify
        template:
          - id: default
            storage: "{folder}"
            zonefile-sync: -1
            zonefile-load: none
            journal-content: none
        zone:
          - domain: example.com
            master: primary
            acl: notify-from-primary
        """, "knot.conf", (folder, config) => ["-c", config]);

    private static SecondaryProcess Nsd(int primaryPort, string secret) => SecondaryProcess.Start(SecondaryProcess.Find("nsd")!, (folder, port) => $"""
        server:
            ip-address: 127.0.0.1@{port}
            zonesdir: "{folder}"
            pidfile: "{folder}/nsd.pid"
            xfrdfile: "{folder}/xfrd.state"
            zonelistfile: "{folder}/zone.list"
            xfrdir: "{folder}"
            username: ""
            chroot: ""
            database: ""
            verbosity: 2
            server-count: 1
        remote-control:
            control-enable: no
        key:
            name: "{KeyName}"
            algorithm: hmac-sha256
            secret: "{secret}"
        zone:
            name: "example.com"
            zonefile: "example.com.zone"
            allow-notify: 127.0.0.1 {KeyName}
            request-xfr: AXFR 127.0.0.1@{primaryPort} {KeyName}
        """, "nsd.conf", (folder, config) => ["-d", "-c", config]);

    private static SecondaryProcess Named(int primaryPort, string secret) => SecondaryProcess.Start(SecondaryProcess.Find("named")!, (folder, port) => $$"""
        options {
            directory "{{folder}}";
            listen-on port {{port}} { 127.0.0.1; };
            listen-on-v6 { none; };
            pid-file "{{folder}}/named.pid";
            session-keyfile "{{folder}}/session.key";
            managed-keys-directory "{{folder}}";
            recursion no;
            dnssec-validation no;
            notify no;
        };
        controls { };
        key "{{KeyName}}" { algorithm hmac-sha256; secret "{{secret}}"; };
        zone "example.com" {
            type secondary;
            primaries port {{primaryPort}} { 127.0.0.1 key {{KeyName}}; };
            file "{{folder}}/example.com.db";
        };
        """, "named.conf", (folder, config) => ["-g", "-n", "1", "-c", config]);

    public static TheoryData<string> Programs() => new() { "knotd", "nsd", "named" };

    private static Launcher LauncherFor(string program) => program switch
    {
        "knotd" => Knot,
        "nsd" => Nsd,
        _ => Named,
    };

    private static string Zone(uint serial, string extra = "") => $"""
        $ORIGIN example.com.
        $TTL 3600
        @ IN SOA ns1 hostmaster {serial} 7200 900 1209600 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        static IN A 192.0.2.1
        ap.www 60 IN A 203.0.113.10
        eu.www 60 IN A 198.51.100.10
        us.www 60 IN A 192.0.2.10
        us.www 60 IN AAAA 2001:db8::10
        ap.api 60 IN A 203.0.113.20
        eu.api 60 IN A 198.51.100.20
        us.api 60 IN A 192.0.2.20
        {extra}
        """;

    private static async Task<(TestServer Server, string KeyFolder)> StartPrimaryAsync()
    {
        var keyFolder = TempFolder.Create();
        var keys = Path.Combine(keyFolder, "keys.conf");
        await File.WriteAllTextAsync(keys, $"key \"{KeyName}\" {{\n\talgorithm hmac-sha256;\n\tsecret \"{Secret}\";\n}};\n");
        var server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone(1),
            ["example.com.gslb.yaml"] = File.ReadAllText(RepositoryFiles.PathOf("zones", "example.com.gslb.yaml")),
            ["transfer.yaml"] = $"example.com:\n  allow: [127.0.0.1/32]\n  tsig: [{KeyName}]\n",
        }, new Dictionary<string, string?>
        {
            ["Server:GeoIp:0"] = RepositoryFiles.PathOf("geoip"),
            ["Server:TsigKeys"] = keys,
        });
        return (server, keyFolder);
    }

    private static async Task<DnsMessage?> AskAsync(SecondaryProcess secondary, string name, RecordType type)
    {
        try
        {
            var bytes = new QueryBuilder { RecursionDesired = false }.Build(name, (ushort)type);
            var reply = await new WireClient(secondary.Endpoint).UdpRawAsync(bytes, TimeSpan.FromMilliseconds(500));
            return reply is null ? null : DnsMessage.Parse(reply);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    [SecondaryTheory]
    [MemberData(nameof(Programs))]
    public async Task Secondary_TransfersTheZone_AnswersSteeredNamesWithTheFallback_AndFollowsNotify(string program)
    {
        var (server, keyFolder) = await StartPrimaryAsync();
        await using var _ = server;
        await using var secondary = LauncherFor(program)(server.Endpoint.Port, Secret);
        try
        {
            // Now that the secondary's port is known, NOTIFY goes there.
            await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "transfer.yaml"),
                $"example.com:\n  allow: [127.0.0.1/32]\n  tsig: [{KeyName}]\n  notify: [\"127.0.0.1:{secondary.Port}\"]\n");

            await Poll.UntilAsync(async () => (await AskAsync(secondary, "static.example.com", RecordType.A))?.AnswerRecords.Count == 1,
                $"{program} to serve the zone:\n{secondary.Output}", TimeSpan.FromSeconds(30));

            var www = await AskAsync(secondary, "www.example.com", RecordType.A);
            Assert.NotNull(www);
            Assert.True(www.IsAuthoritiveAnswer);
            var cname = Assert.IsType<CNameRecord>(www.AnswerRecords[0]);
            Assert.Equal("us.www.example.com.", cname.CanonicalName.ToString());
            Assert.Equal(30, cname.TimeToLive);
            Assert.Contains(www.AnswerRecords, r => r is ARecord a && a.Address.ToString() == "192.0.2.10");
            var api = await AskAsync(secondary, "api.example.com", RecordType.A);
            Assert.Equal("192.0.2.20", ((ARecord)api!.AnswerRecords.Single()).Address.ToString());

            await File.WriteAllTextAsync(Path.Combine(server.ZonesFolder, "example.com.zone"), Zone(2, "added IN A 192.0.2.99\n"));

            // The refresh is two hours away: only the NOTIFY brings the change this soon.
            await Poll.UntilAsync(async () => (await AskAsync(secondary, "added.example.com", RecordType.A))?.AnswerRecords.Count == 1,
                $"{program} to pick up serial 2 after NOTIFY:\n{secondary.Output}", TimeSpan.FromSeconds(30));
        }
        finally
        {
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    [SecondaryTheory]
    [MemberData(nameof(Programs))]
    public async Task Secondary_WithWrongKey_GetsNoZone(string program)
    {
        var (server, keyFolder) = await StartPrimaryAsync();
        await using var _ = server;
        await using var secondary = LauncherFor(program)(server.Endpoint.Port, WrongSecret);
        try
        {
            // The control: the secondary is up and answering, only without the zone.
            await Poll.UntilAsync(async () => await AskAsync(secondary, "static.example.com", RecordType.A) is not null,
                $"{program} to answer at all:\n{secondary.Output}", TimeSpan.FromSeconds(30));
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
            while (DateTime.UtcNow < until)
            {
                var reply = await AskAsync(secondary, "static.example.com", RecordType.A);
                Assert.True(reply is null || reply.AnswerRecords.Count == 0, $"{program} served the zone with a wrong key:\n{secondary.Output}");
                await Task.Delay(250);
            }
        }
        finally
        {
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    private sealed class SecondaryTheoryAttribute : TheoryAttribute
    {
        public SecondaryTheoryAttribute()
        {
            var missing = new[] { "knotd", "nsd", "named" }.Where(p => SecondaryProcess.Find(p) is null).ToList();
            if (missing.Count > 0) Skip = $"{string.Join(", ", missing)} not installed (apt-get install knot nsd bind9)";
        }
    }
}
