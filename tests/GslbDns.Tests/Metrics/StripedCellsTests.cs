using GslbDns.Metrics;
using GslbDns.Steering;
using GslbDns.Steering.State;

namespace GslbDns.Tests.Metrics;

public sealed class StripedCellsTests
{
    // More threads than exclusive stripes, started together: some own a stripe (plain adds), the rest
    // share stripe 0 (interlocked adds). A stripe handed to two threads, or a shared add that is not
    // atomic, loses increments and the totals come out short.
    private const int Threads = CounterStripe.Exclusive * 2 + 3;
    private const int PerThread = 200_000;

    [Fact]
    public void ConcurrentAdds_FromMoreThreadsThanStripes_AreAllCounted()
    {
        var cells = new StripedCells(3);
        RunTogether(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                cells.Increment(0);
                cells.Add(2, 3);
            }
        });
        Assert.Equal((long)Threads * PerThread, cells.Read(0));
        Assert.Equal(0, cells.Read(1));
        Assert.Equal(3L * Threads * PerThread, cells.Read(2));
    }

    [Fact]
    public void AnswerCounter_FromMoreThreadsThanStripes_CountsEveryAnswer()
    {
        var counter = new AnswerCounter();
        RunTogether(() =>
        {
            for (int i = 0; i < PerThread; i++) counter.Increment(SteeringReason.Preferred);
        });
        Assert.Equal((long)Threads * PerThread, counter.Count(SteeringReason.Preferred));
        Assert.Equal((long)Threads * PerThread, counter.Total);
    }

    [Fact]
    public void Current_IsStableForAThread_AndExclusiveStripesAreNeverShared()
    {
        var seen = new int[Threads];
        RunTogether(index =>
        {
            int first = CounterStripe.Current;
            for (int i = 0; i < 1000; i++) Assert.Equal(first, CounterStripe.Current);
            seen[index] = first;
        });
        Assert.All(seen, s => Assert.InRange(s, 0, CounterStripe.Exclusive));
        var owned = seen.Where(s => s != 0).ToList();
        Assert.Equal(owned.Count, owned.Distinct().Count());
    }

    private static void RunTogether(Action body) => RunTogether(_ => body());

    private static void RunTogether(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, Threads).Select(index => new Thread(() =>
        {
            start.SignalAndWait();
            try { body(index); }
            catch (Exception e) { lock (errors) errors.Add(e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Empty(errors);
    }
}
