using GslbDns.Protocol;
using System.Net;
using GslbDns.Pipeline;
using GslbDns.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace GslbDns.Tests.RateLimiting;

/// <summary>The token accounts on a fake clock: credit, debt, window, slip, blocks and classes.</summary>
public sealed class ResponseRateLimiterTests
{
    private static ClientAddress Ip(string address) => ClientAddress.FromIPAddress(IPAddress.Parse(address));

    private static readonly ulong Www = ResponseRateLimiter.KeyOf(DnsName.Parse("www.example.com.").Wire, 1);

    private static (ResponseRateLimiter Rrl, FakeTimeProvider Time) Make(Action<RrlOptions>? configure = null)
    {
        var options = new RrlOptions { ResponsesPerSecond = 10, WindowSeconds = 5, Slip = 2 };
        configure?.Invoke(options);
        var time = new FakeTimeProvider();
        return (new ResponseRateLimiter(options, time), time);
    }

    private static int[] Count(ResponseRateLimiter rrl, string client, int queries, ResponseClass kind = ResponseClass.Answer, ulong key = 0)
    {
        var counts = new int[5];
        for (int i = 0; i < queries; i++) counts[(int)rrl.Account(Ip(client), kind, key == 0 ? Www : key)]++;
        return counts;
    }

    [Fact]
    public void OneSecondsWorth_ThenEverySecondLimitedReplySlips()
    {
        var (rrl, _) = Make();
        var counts = Count(rrl, "192.0.2.1", 30);
        Assert.Equal(10, counts[(int)RrlAction.Sent]);
        Assert.Equal(10, counts[(int)RrlAction.Slipped]);
        Assert.Equal(10, counts[(int)RrlAction.Dropped]);
    }

    [Fact]
    public void CreditRefills_AtTheRate_UpToOneSecond()
    {
        var (rrl, time) = Make();
        Count(rrl, "192.0.2.1", 10);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(10, Count(rrl, "192.0.2.1", 15)[(int)RrlAction.Sent]);
        time.Advance(TimeSpan.FromSeconds(30)); // idle long: still only one second's worth
        Assert.Equal(10, Count(rrl, "192.0.2.1", 15)[(int)RrlAction.Sent]);
    }

    [Fact]
    public void AFlood_StaysLimitedUpToAWindowAfterItStops()
    {
        var (rrl, time) = Make();
        Count(rrl, "192.0.2.1", 1000); // debt bottoms out at window × rate = 50
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, Count(rrl, "192.0.2.1", 1)[(int)RrlAction.Sent]);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, Count(rrl, "192.0.2.1", 1)[(int)RrlAction.Sent]);
    }

    [Fact]
    public void BlocksAndClasses_HaveTheirOwnAccounts()
    {
        var (rrl, _) = Make(o => { o.NxdomainsPerSecond = 3; o.ErrorsPerSecond = 2; });
        Count(rrl, "192.0.2.1", 100);
        Assert.Equal(0, Count(rrl, "192.0.2.200", 1)[(int)RrlAction.Sent]); // same /24
        Assert.Equal(10, Count(rrl, "192.0.3.1", 10)[(int)RrlAction.Sent]); // the next /24
        var other = ResponseRateLimiter.KeyOf(DnsName.Parse("api.example.com.").Wire, 1);
        Assert.Equal(10, Count(rrl, "192.0.2.1", 10, key: other)[(int)RrlAction.Sent]); // another name
        Assert.Equal(3, Count(rrl, "192.0.2.1", 10, ResponseClass.NxDomain, 42)[(int)RrlAction.Sent]);
        Assert.Equal(2, Count(rrl, "192.0.2.1", 10, ResponseClass.Error, 1)[(int)RrlAction.Sent]);
        Assert.Equal(0, Count(rrl, "192.0.2.1", 10, ResponseClass.Error, 2)[(int)RrlAction.Sent]); // errors share one account
        // IPv6 blocks are /56.
        Count(rrl, "2001:db8:0:1::1", 100);
        Assert.Equal(0, Count(rrl, "2001:db8:0:ff::1", 1)[(int)RrlAction.Sent]);
        Assert.Equal(1, Count(rrl, "2001:db8:0:100::1", 1)[(int)RrlAction.Sent]);
    }

    [Fact]
    public void Exempt_LogOnly_AndSlipZero()
    {
        var (exempt, _) = Make(o => o.Exempt = ["192.0.2.0/28"]);
        Assert.Equal(100, Count(exempt, "192.0.2.5", 100)[(int)RrlAction.Sent]);
        Assert.Equal(10, Count(exempt, "192.0.2.50", 100)[(int)RrlAction.Sent]);
        var (logOnly, _) = Make(o => o.LogOnly = true);
        Assert.Equal(90, Count(logOnly, "192.0.2.1", 100)[(int)RrlAction.WouldLimit]);
        var (noSlip, _) = Make(o => o.Slip = 0);
        Assert.Equal(90, Count(noSlip, "192.0.2.1", 100)[(int)RrlAction.Dropped]);
    }

    [Fact]
    public void ASpoofedFlood_FromRandomSources_KeepsTheTableSize()
    {
        var (rrl, _) = Make(o => o.TableSize = 1024);
        var random = new Random(7);
        // Several rounds: the runtime may allocate once while it recompiles the hot loop (tiered JIT).
        long fewest = long.MaxValue;
        for (int round = 0; round < 5 && fewest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100_000; i++) rrl.Account(ClientAddress.FromIPv4((uint)random.Next()), ResponseClass.Answer, Www);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, fewest);
    }
}
