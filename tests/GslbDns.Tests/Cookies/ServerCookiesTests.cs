using System.Net;
using GslbDns.Cookies;
using GslbDns.Pipeline;

namespace GslbDns.Tests.Cookies;

/// <summary>Server cookies against the test vectors of RFC 9018 Appendix A, and the lifetime rules of its §4.3.</summary>
public sealed class ServerCookiesTests
{
    private const string Secret = "e5e973e5a6b2a43f48e7dc849e37bfcf";

    private static ServerCookies With(params string[] secrets) =>
        new(CookieSecrets.Of(secrets.Select(Convert.FromHexString).ToArray()), TimeProvider.System);

    private static ClientAddress Ip(string address) => ClientAddress.FromIPAddress(IPAddress.Parse(address));

    private static (CookieVerdict Verdict, string Reply) Answer(ServerCookies cookies, string cookie, string ip, uint now)
    {
        var reply = new byte[ServerCookies.ReplyLength];
        var verdict = cookies.Answer(Convert.FromHexString(cookie), Ip(ip), now, reply);
        return (verdict, Convert.ToHexStringLower(reply));
    }

    [Fact]
    public void A1_LearningANewServerCookie()
    {
        Assert.Equal((CookieVerdict.ClientOnly, "2464c4abcf10c957010000005cf79f111f8130c3eee29480"),
            Answer(With(Secret), "2464c4abcf10c957", "198.51.100.100", 1559731985));
    }

    [Fact]
    public void A2_TheSameClientLearningARenewedCookie_FortyMinutesLater()
    {
        Assert.Equal((CookieVerdict.Valid, "2464c4abcf10c957010000005cf7a871d4a564a1442aca77"),
            Answer(With(Secret), "2464c4abcf10c957010000005cf79f111f8130c3eee29480", "198.51.100.100", 1559734385));
    }

    [Fact]
    public void A2_WithinHalfAnHour_TheCookieIsEchoed()
    {
        const string cookie = "2464c4abcf10c957010000005cf79f111f8130c3eee29480";
        Assert.Equal((CookieVerdict.Valid, cookie), Answer(With(Secret), cookie, "198.51.100.100", 1559731985 + 1799));
    }

    [Fact]
    public void A3_ReservedOctetsTheClientSent_ArePartOfTheHash_AndAnExpiredCookieIsReplaced()
    {
        const string cookie = "fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5";
        // Made at 0x5cf78f71: valid ten seconds later, from its own address only.
        Assert.Equal(CookieVerdict.Valid, Answer(With(Secret), cookie, "203.0.113.203", 0x5cf78f71 + 10).Verdict);
        Assert.Equal(CookieVerdict.Invalid, Answer(With(Secret), cookie, "203.0.113.204", 0x5cf78f71 + 10).Verdict);
        // The RFC's reply comes 1 h 52 min later: past the lifetime, so a fresh cookie (with zero reserved octets).
        Assert.Equal((CookieVerdict.Invalid, "fc93fc62807ddb86010000005cf7a9acf73a7810aca2381e"),
            Answer(With(Secret), cookie, "203.0.113.203", 1559734700));
    }

    [Fact]
    public void A4_IPv6_RolledSecret_OldCookiesVerifyWhileTheOldSecretIsListed()
    {
        const string oldSecret = "dd3bdf9344b678b185a6f5cb60fca715", newSecret = "445536bcd2513298075a5d379663c962";
        const string cookie = "22681ab97d52c298010000005cf7c57926556bd0934c72f8";
        const string ip = "2001:db8:220:1:59de:d0f4:8769:82b8";
        Assert.Equal(CookieVerdict.Valid, Answer(With(oldSecret), cookie, ip, 0x5cf7c579 + 60).Verdict);
        var rolled = Answer(With(newSecret, oldSecret), cookie, ip, 0x5cf7c579 + 60);
        Assert.Equal((CookieVerdict.Valid, cookie), rolled);
        Assert.Equal(CookieVerdict.Invalid, Answer(With(newSecret), cookie, ip, 0x5cf7c579 + 60).Verdict);
        // A renewed cookie is signed with the first (new) secret, and that one alone now verifies it.
        var renewed = Answer(With(newSecret, oldSecret), cookie, ip, 0x5cf7c579 + 1900).Reply;
        Assert.NotEqual(cookie, renewed);
        Assert.Equal(CookieVerdict.Valid, Answer(With(newSecret), renewed, ip, 0x5cf7c579 + 1901).Verdict);
    }

    [Theory]
    [InlineData(0, CookieVerdict.Valid)]
    [InlineData(3600, CookieVerdict.Valid)]
    [InlineData(3601, CookieVerdict.Invalid)]
    [InlineData(-300, CookieVerdict.Valid)]
    [InlineData(-301, CookieVerdict.Invalid)]
    public void Lifetime_AnHourBack_FiveMinutesAhead(int age, CookieVerdict expected)
    {
        var cookies = With(Secret);
        uint made = 1559731985;
        var first = Answer(cookies, "2464c4abcf10c957", "198.51.100.100", made).Reply;
        Assert.Equal(expected, Answer(cookies, first, "198.51.100.100", (uint)(made + age)).Verdict);
    }

    [Fact]
    public void Lifetime_HoldsAcrossTheTimestampWrap()
    {
        var cookies = With(Secret);
        var first = Answer(cookies, "2464c4abcf10c957", "198.51.100.100", uint.MaxValue - 100).Reply;
        Assert.Equal(CookieVerdict.Valid, Answer(cookies, first, "198.51.100.100", 500).Verdict);
    }

    [Theory]
    [InlineData("2464c4abcf10c957" + "0200000000000000")] // 16 bytes: an 8-byte server cookie of someone else's
    [InlineData("2464c4abcf10c957" + "020000005cf79f111f8130c3eee29480")] // version 2
    [InlineData("2464c4abcf10c957" + "010000005cf79f111f8130c3eee29481")] // one bit of the hash changed
    [InlineData("2464c4abcf10c957" + "010000005cf79f111f8130c3eee2948000112233")] // 20-byte server cookie
    public void ForeignOrDamagedServerCookies_AreInvalid_AndGetAFreshOne(string cookie)
    {
        var (verdict, reply) = Answer(With(Secret), cookie, "198.51.100.100", 1559731985);
        Assert.Equal(CookieVerdict.Invalid, verdict);
        Assert.Equal("2464c4abcf10c957010000005cf79f111f8130c3eee29480", reply);
    }

    [Fact]
    public void SecretsFile_FirstSigns_ErrorsNameTheLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, $"# deployment secrets\n{Secret}\n445536bcd2513298075a5d379663c962  # next\n");
            var (secrets, problems) = CookieSecrets.Read(path);
            Assert.Empty(problems);
            Assert.Equal(2, secrets!.Count);

            File.WriteAllText(path, $"{Secret}\nnot-hex\n0011\n");
            (secrets, problems) = CookieSecrets.Read(path);
            Assert.Null(secrets);
            Assert.Equal([2, 3], problems.Select(p => p.Location.Line));

            File.WriteAllText(path, "# nothing yet\n");
            Assert.Contains("no secret", Assert.Single(CookieSecrets.Read(path).Problems).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
