using ARSoft.Tools.Net.Dns;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;
using GslbDns.Tsig;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Transfer;

/// <summary>The --tsig-keys file re-read while serving: a key rotation from A to B, a broken file, and transfer.yaml checked again.</summary>
public sealed class TsigKeyReloadTests : IAsyncLifetime
{
    private static readonly byte[] SecretA = Convert.FromBase64String("nbokF4dJW9doNrToqEmlVrsg79UQXFcQQEsJUqFRY9U=");
    private static readonly byte[] SecretB = Convert.FromBase64String("3lIqHnbDp+8RkKBX0SfWkwJt1F0b6Klg7c4dJ0yIe2A=");
    private string _keyFolder = "";
    private string _keys = "";
    private TestServer _server = null!;

    private const string Zone = """
        $ORIGIN example.com.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 7200 900 1209600 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        static IN A 192.0.2.1
        """;

    private static string Key(string name, byte[] secret) =>
        $"key \"{name}\" {{\n    algorithm hmac-sha256;\n    secret \"{Convert.ToBase64String(secret)}\";\n}};\n";

    private static string Rules(params string[] keys) => $"example.com:\n  tsig: [{string.Join(", ", keys)}]\n";

    public async Task InitializeAsync()
    {
        _keyFolder = TempFolder.Create();
        _keys = Path.Combine(_keyFolder, "keys.conf");
        await File.WriteAllTextAsync(_keys, Key("key-a", SecretA));
        _server = await TestServer.StartAsync(new Dictionary<string, string>
        {
            ["example.com.zone"] = Zone,
            ["transfer.yaml"] = Rules("key-a"),
        }, new Dictionary<string, string?> { ["Server:TsigKeys"] = _keys });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_keyFolder, recursive: true);
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private TsigKeyFileService Service => _server.Services.GetRequiredService<TsigKeyFileService>();

    /// <summary>A signed SOA query over UDP: its rcode, and the TSIG error when the reply carries one.</summary>
    private async Task<(int Rcode, int? TsigError)> SignedSoaAsync(string key, byte[] secret)
    {
        var request = TestTsig.Sign(new QueryBuilder { Id = 11 }.Build("example.com", (ushort)RecordType.Soa), key, secret, Now, out var mac);
        var reply = await _server.Client.UdpRawAsync(request) ?? throw new TimeoutException("no UDP reply");
        var tsig = TestTsig.Read(reply);
        if (TransferClient.Rcode(reply) == 0) Assert.True(TestTsig.Verifies(reply, key, secret, mac), "the reply is signed with the query's key");
        return (TransferClient.Rcode(reply), tsig?.Error);
    }

    /// <summary>A signed AXFR: the rcode of its first message, and whether the whole zone came.</summary>
    private async Task<(int Rcode, bool Transferred)> AxfrAsync(string key, byte[] secret)
    {
        var messages = await TransferClient.TransferAsync(_server.Endpoint, TestTsig.Sign(TransferClient.Axfr("example.com"), key, secret, Now, out _));
        int rcode = TransferClient.Rcode(messages[0]);
        return (rcode, rcode == 0 && TransferClient.Records(messages).Count == 5); // SOA, three records, SOA
    }

    /// <summary>Written beside and renamed over, as deploy tools do.</summary>
    private static async Task ReplaceAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path + ".new", text);
        File.Move(path + ".new", path, overwrite: true);
    }

    private async Task ReplaceAndWaitAsync(string text)
    {
        int generation = Service.Generation;
        await ReplaceAsync(_keys, text);
        await Poll.UntilAsync(() => Task.FromResult(Service.Generation > generation), "the key file to be read again");
    }

    [Fact]
    public async Task KeyRotation_AddB_SwitchToB_RemoveA_WithoutRestart_ABrokenFileKeepsTheKeys()
    {
        Assert.Equal((0, true), await AxfrAsync("key-a", SecretA));
        Assert.Equal((9, 17), await SignedSoaAsync("key-b", SecretB)); // NOTAUTH, BADKEY: B is not known yet

        // Add B beside A: B signs queries at once; transfers follow transfer.yaml, which names A alone.
        await ReplaceAndWaitAsync(Key("key-a", SecretA) + Key("key-b", SecretB));
        Assert.Equal((0, (int?)0), await SignedSoaAsync("key-b", SecretB));
        Assert.Equal((5, false), await AxfrAsync("key-b", SecretB)); // REFUSED: not listed for the zone
        await File.WriteAllTextAsync(Path.Combine(_server.ZonesFolder, "transfer.yaml"), Rules("key-a", "key-b"));
        await Poll.UntilAsync(async () => (await AxfrAsync("key-b", SecretB)).Transferred, "B to be allowed to transfer");
        Assert.Equal((0, true), await AxfrAsync("key-a", SecretA));

        // A broken file: named with its line, and both keys stay in force.
        // Line 6 lacks its ';' (key A takes lines 1 to 4).
        await ReplaceAndWaitAsync(Key("key-a", SecretA) + Key("key-b", SecretB).Replace("hmac-sha256;", "hmac-sha256", StringComparison.Ordinal));
        var problem = Assert.Single(Service.LastProblems);
        Assert.Equal($"{_keys}:6: expected ';' after algorithm hmac-sha256", problem.ToString());
        Assert.Equal((0, (int?)0), await SignedSoaAsync("key-a", SecretA));
        Assert.Equal((0, true), await AxfrAsync("key-b", SecretB));

        // Remove A from the key file before transfer.yaml: A is BADKEY at once, B keeps transferring
        // (the rules naming A are rejected and the last good ones stay, so nothing opens or closes).
        await ReplaceAndWaitAsync(Key("key-b", SecretB));
        Assert.Empty(Service.LastProblems);
        Assert.Equal((9, 17), await SignedSoaAsync("key-a", SecretA));
        var refusedA = await TransferClient.TransferAsync(_server.Endpoint, TestTsig.Sign(TransferClient.Axfr("example.com"), "key-a", SecretA, Now, out _));
        Assert.Equal(9, TransferClient.Rcode(refusedA.Single()));
        Assert.Equal(17, TestTsig.Read(refusedA.Single())!.Error);
        Assert.Equal((0, true), await AxfrAsync("key-b", SecretB));
        Assert.Equal(5, TransferClient.Rcode((await TransferClient.TransferAsync(_server.Endpoint, TransferClient.Axfr("example.com"))).Single()));
    }

    [Fact]
    public async Task RuleNamingAKeyNotYetInTheFile_IsAcceptedWhenTheKeyArrives_WithoutAZoneReload()
    {
        // transfer.yaml first: B is unknown, so the file is rejected and the rules naming A alone stay.
        var loader = _server.Services.GetRequiredService<GslbDns.Configuration.ZoneCatalogLoader>();
        int zoneLoads = loader.Generation;
        await File.WriteAllTextAsync(Path.Combine(_server.ZonesFolder, "transfer.yaml"), Rules("key-b"));
        await Poll.UntilAsync(() => Task.FromResult(loader.Generation > zoneLoads && loader.LastProblems.Count > 0), "transfer.yaml to be rejected");
        Assert.Contains("key 'key-b' is not in the --tsig-keys file", loader.LastProblems[0].Message, StringComparison.Ordinal);
        Assert.Equal((0, true), await AxfrAsync("key-a", SecretA));
        zoneLoads = loader.Generation;

        // Then the key file: the rules are checked again against the new names and now hold.
        await ReplaceAndWaitAsync(Key("key-a", SecretA) + Key("key-b", SecretB));
        await Poll.UntilAsync(async () => (await AxfrAsync("key-b", SecretB)).Transferred, "B's rule to be in force");
        Assert.Equal((5, false), await AxfrAsync("key-a", SecretA)); // A is a key still, but no longer listed for the zone
        Assert.Equal(zoneLoads, loader.Generation);
    }
}
