using GslbDns.Steering;
using GslbDns.Steering.State;

namespace GslbDns.Tests.Steering;

/// <summary>The answer counts behind the share of answers (last minute) and the status page's chart (last five minutes).</summary>
public class AnswerCounterTests
{
    private static void Count(AnswerCounter counter, int answers)
    {
        for (int i = 0; i < answers; i++) counter.Increment(SteeringReason.Preferred);
    }

    [Fact]
    public void Series_GivesEachSampledInterval_OldestFirst_TheRunningOneLast()
    {
        var counter = new AnswerCounter();
        Count(counter, 3);
        counter.Sample();
        Count(counter, 5);
        counter.Sample();
        Count(counter, 2);

        var series = counter.Series();
        Assert.Equal(AnswerCounter.SeriesLength, series.Length);
        Assert.Equal([3L, 5L, 2L], series[^3..]);
        Assert.All(series[..^3], c => Assert.Equal(0, c));
        Assert.Equal(10, counter.Recent);
    }

    [Fact]
    public void Series_CoversFiveMinutes_RecentOneMinute()
    {
        var counter = new AnswerCounter();
        // 70 intervals of 5 s, interval i with i answers: more than the series keeps.
        for (int i = 1; i <= 70; i++)
        {
            Count(counter, i);
            counter.Sample();
        }
        var series = counter.Series();
        Assert.Equal(0, series[^1]);
        Assert.Equal(Enumerable.Range(12, 59).Select(i => (long)i), series[..^1]);
        // The last minute: the 12 intervals before the latest sample.
        Assert.Equal(Enumerable.Range(59, 12).Sum(), counter.Recent);
    }
}
