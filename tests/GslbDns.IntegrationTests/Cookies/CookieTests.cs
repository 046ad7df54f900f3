using System.Diagnostics;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net.Dns;
using GslbDns.Configuration;
using GslbDns.IntegrationTests.Infrastructure;
using GslbDns.IntegrationTests.Reloading;
using Microsoft.Extensions.DependencyInjection;

namespace GslbDns.IntegrationTests.Cookies;

/// <summary>DNS Cookies (RFC 7873, RFC 9018) over real UDP and TCP: with dig, and with hand-built packets.</summary>
public partial class CookieTests
{
    private const string Zone = """
        $ORIGIN example.com.
        $TTL 300
        @       SOA   ns1 hostmaster 1 7200 900 1209600 300
        @       NS    ns1
        ns1     A     192.0.2.53
        """;

    private static readonly byte[] ClientCookie = [0x24, 0x64, 0xc4, 0xab, 0xcf, 0x10, 0xc9, 0x57];

    private static string? Dig => new[] { "/usr/bin/dig", "/usr/local/bin/dig" }.FirstOrDefault(File.Exists);

    private static QueryBuilder WithCookie(byte[] cookie) => new() { EdnsPayload = 1232, Options = [(10, cookie)] };

    /// <summary>The reply's COOKIE option data (client cookie + server cookie), or null.</summary>
    private static byte[]? CookieOf(DnsMessage reply)
    {
        var option = reply.EDnsOptions?.Options.OfType<CookieOption>().SingleOrDefault();
        return option is null ? null : [.. option.ClientCookie, .. option.ServerCookie ?? []];
    }

    [DigFact]
    public async Task Dig_LearnsACookie_AndTheSecondQueryReportsItGood()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone);
        string first = await DigAsync(server, "+cookie");
        var learned = CookieLine().Match(first);
        Assert.True(learned.Success, first);
        Assert.Equal(48, learned.Groups["cookie"].Value.Length); // 8-byte client + 16-byte server cookie, in hex

        string second = await DigAsync(server, $"+cookie={learned.Groups["cookie"].Value}");
        var echoed = CookieLine().Match(second);
        Assert.True(echoed.Success, second);
        Assert.Equal("good", echoed.Groups["verdict"].Value);
        Assert.Equal(learned.Groups["cookie"].Value, echoed.Groups["cookie"].Value); // within half an hour: echoed as it was
        Assert.Contains("status: NOERROR", second, StringComparison.Ordinal);

        string tcp = await DigAsync(server, $"+tcp +cookie={learned.Groups["cookie"].Value}");
        Assert.Equal("good", CookieLine().Match(tcp).Groups["verdict"].Value);
    }

    [Fact]
    public async Task HandBuilt_ClientCookieGetsAServerCookie_WhichIsEchoed_OverUdpAndTcp()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone);
        var first = await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(ClientCookie));
        Assert.Equal(ReturnCode.NoError, first.ReturnCode);
        var cookie = CookieOf(first)!;
        Assert.Equal(24, cookie.Length);
        Assert.Equal(ClientCookie, cookie[..8]);
        Assert.Equal(1, cookie[8]); // RFC 9018 version 1
        Assert.Equal([0, 0, 0], cookie[9..12]);
        uint stamp = (uint)(cookie[12] << 24 | cookie[13] << 16 | cookie[14] << 8 | cookie[15]);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - stamp, -5, 60);

        foreach (bool tcp in new[] { false, true })
        {
            var again = await server.Client.QueryAsync(tcp, "ns1.example.com", RecordType.A, WithCookie(cookie));
            Assert.Equal(cookie, CookieOf(again));
        }
        // Another address's cookie, or a damaged one, is not ours: the answer still comes, with a fresh cookie.
        var damaged = (byte[])cookie.Clone();
        damaged[^1] ^= 1;
        var replaced = await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(damaged));
        Assert.Equal(ReturnCode.NoError, replaced.ReturnCode);
        Assert.Equal(cookie[..12], CookieOf(replaced)![..12]);
        Assert.NotEqual(damaged, CookieOf(replaced));
        // Without a COOKIE option there is none in the reply.
        Assert.Null(CookieOf(await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, new QueryBuilder { EdnsPayload = 1232 })));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(41)]
    public async Task MalformedCookieOption_IsFormErr(int length)
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone);
        var reply = await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(new byte[length]));
        Assert.Equal(ReturnCode.FormatError, reply.ReturnCode);
        Assert.Null(CookieOf(reply));
    }

    [Fact]
    public async Task SharedSecretFile_EveryInstanceAcceptsTheOthersCookies()
    {
        var folder = TempFolder.Create();
        var secrets = Path.Combine(folder, "cookie-secrets");
        await File.WriteAllTextAsync(secrets, "# shared by ns1 and ns2\ne5e973e5a6b2a43f48e7dc849e37bfcf\n");
        var shared = new Dictionary<string, string?> { ["Server:CookieSecretFile"] = secrets };
        await using var ns1 = await TestServer.StartAsync("example.com.zone", Zone, shared);
        await using var ns2 = await TestServer.StartAsync("example.com.zone", Zone, shared);
        await using var other = await TestServer.StartAsync("example.com.zone", Zone);

        var cookie = CookieOf(await ns1.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(ClientCookie)))!;
        Assert.Equal(cookie, CookieOf(await ns2.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(cookie))));
        Assert.NotEqual(cookie, CookieOf(await other.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(cookie))));
    }

    private const string S1 = "e5e973e5a6b2a43f48e7dc849e37bfcf", S2 = "445536bcd2513298075a5d379663c962";

    /// <summary>The server cookie RFC 9018 makes for 127.0.0.1 at the reply's timestamp with <paramref name="secret"/>.</summary>
    private static byte[] ExpectedWith(string secret, byte[] cookie)
    {
        uint stamp = (uint)(cookie[12] << 24 | cookie[13] << 16 | cookie[14] << 8 | cookie[15]);
        var server = new byte[16];
        new GslbDns.Cookies.ServerCookies(GslbDns.Cookies.CookieSecrets.Of(Convert.FromHexString(secret)), TimeProvider.System)
            .Make(cookie[..8], GslbDns.Pipeline.ClientAddress.FromIPAddress(System.Net.IPAddress.Loopback), stamp, server);
        return [.. cookie[..8], .. server];
    }

    [Fact]
    public async Task SecretFile_Rotated_WithoutRestart_OldCookiesVerifyWhileListed_NewOnesUseTheFirst_ABadFileKeepsThem()
    {
        var folder = TempFolder.Create();
        var secrets = Path.Combine(folder, "cookie-secrets");
        await File.WriteAllTextAsync(secrets, S1 + "\n");
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:CookieSecretFile"] = secrets });
        var service = server.Services.GetRequiredService<GslbDns.Cookies.CookieSecretFileService>();
        async Task<byte[]> CookieFor(byte[] sent) => CookieOf(await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(sent)))!;
        async Task Replace(string text)
        {
            int generation = service.Generation;
            await File.WriteAllTextAsync(secrets + ".new", text);
            File.Move(secrets + ".new", secrets, overwrite: true);
            await Poll.UntilAsync(() => Task.FromResult(service.Generation > generation), "the secret file to be read again");
        }
        var old = await CookieFor(ClientCookie);
        Assert.Equal(ExpectedWith(S1, old), old);

        // The new secret first, the old one second: new cookies are S2's, the S1 cookie is still good (echoed).
        await Replace($"# rolled\n{S2}\n{S1}\n");
        var fresh = await CookieFor(ClientCookie);
        Assert.Equal(ExpectedWith(S2, fresh), fresh);
        Assert.Equal(old, await CookieFor(old));
        Assert.Equal(fresh, await CookieFor(fresh));

        // A broken file names its line and changes nothing.
        await Replace($"{S2}\nnot-a-secret\n");
        Assert.Equal(2, Assert.Single(service.LastProblems).Location.Line);
        Assert.Equal(old, await CookieFor(old));
        var stillS2 = await CookieFor(ClientCookie);
        Assert.Equal(ExpectedWith(S2, stillS2), stillS2);

        // S1 dropped: its cookie is replaced by a fresh S2 one, the S2 cookie stays good.
        await Replace(S2 + "\n");
        var replaced = await CookieFor(old);
        Assert.NotEqual(old, replaced);
        Assert.Equal(ExpectedWith(S2, replaced), replaced);
        Assert.Equal(fresh, await CookieFor(fresh));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task BadSecretFile_StopsTheStart_NamingTheLine()
    {
        var folder = TempFolder.Create();
        var secrets = Path.Combine(folder, "cookie-secrets");
        await File.WriteAllTextAsync(secrets, "e5e973e5a6b2a43f48e7dc849e37bfcf\nshort\n");
        var error = await Assert.ThrowsAsync<ZoneLoadException>(() =>
            TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:CookieSecretFile"] = secrets }));
        Assert.Contains($"{secrets}:2:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoCookies_LeavesTheOptionUnanswered()
    {
        await using var server = await TestServer.StartAsync("example.com.zone", Zone, new Dictionary<string, string?> { ["Server:Cookies"] = "false" });
        var reply = await server.Client.QueryAsync(false, "ns1.example.com", RecordType.A, WithCookie(ClientCookie));
        Assert.Equal(ReturnCode.NoError, reply.ReturnCode);
        Assert.Null(CookieOf(reply));
    }

    private static async Task<string> DigAsync(TestServer server, string cookieArgument)
    {
        var arguments = new List<string> { "@" + server.Endpoint.Address, "-p", server.Endpoint.Port.ToString(), "+tries=1", "+time=5", "ns1.example.com", "A" };
        arguments.AddRange(cookieArgument.Split(' '));
        using var process = System.Diagnostics.Process.Start(new ProcessStartInfo(Dig!, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    [GeneratedRegex("; COOKIE: (?<cookie>[0-9a-f]+)(?: \\((?<verdict>[a-z]+)\\))?")]
    private static partial Regex CookieLine();

    private sealed class DigFactAttribute : FactAttribute
    {
        public DigFactAttribute()
        {
            if (Dig is null) Skip = "dig is not installed (apt-get install bind9-dnsutils)";
        }
    }
}
