using GslbDns.Tapping;

namespace GslbDns.Tests.Tapping;

/// <summary>The bounded queue between the query threads and a tap's writer thread.</summary>
public sealed class TapQueueTests
{
    private static void Put(TapQueue<int> queue, int value, bool expected = true)
    {
        Assert.Equal(expected, queue.TryClaim(out long ticket));
        if (!expected) return;
        queue.RecordAt(ticket) = value;
        queue.PayloadAt(ticket)[0] = (byte)value;
        queue.Publish(ticket);
    }

    private static int Take(TapQueue<int> queue)
    {
        Assert.True(queue.TryPeek(out long ticket));
        int value = queue.RecordAt(ticket);
        Assert.Equal((byte)value, queue.PayloadAt(ticket)[0]);
        queue.Release(ticket);
        return value;
    }

    [Fact]
    public void Records_ComeOutInTheOrderTheyWentIn_WithTheirBytes()
    {
        var queue = new TapQueue<int>(4, 1);
        for (int lap = 0; lap < 3; lap++)
        {
            for (int i = 1; i <= 4; i++) Put(queue, lap * 10 + i);
            for (int i = 1; i <= 4; i++) Assert.Equal(lap * 10 + i, Take(queue));
            Assert.False(queue.TryPeek(out _));
        }
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public void FullQueue_RefusesAndCounts_UntilTheConsumerFreesASlot()
    {
        var queue = new TapQueue<int>(3, 1); // rounded up to 4
        Assert.Equal(4, queue.Capacity);
        for (int i = 0; i < 4; i++) Put(queue, i);
        Put(queue, 9, expected: false);
        Put(queue, 9, expected: false);
        Assert.Equal(2, queue.Dropped);
        Assert.Equal(0, Take(queue));
        Put(queue, 4);
        Assert.Equal([1, 2, 3, 4], Enumerable.Range(0, 4).Select(_ => Take(queue)));
    }

    [Fact]
    public void ClaimedButUnpublishedSlot_HoldsBackTheConsumer()
    {
        var queue = new TapQueue<int>(4, 1);
        Assert.True(queue.TryClaim(out long first));
        Put(queue, 2);
        Assert.False(queue.TryPeek(out _));
        queue.RecordAt(first) = 1;
        queue.PayloadAt(first)[0] = 1;
        queue.Publish(first);
        Assert.Equal(1, Take(queue));
        Assert.Equal(2, Take(queue));
    }

    [Fact]
    public void ManyProducers_EveryRecordIsTakenOnceOrCountedAsDropped()
    {
        const int producers = 4, each = 20_000;
        var queue = new TapQueue<int>(64, 1);
        var seen = new bool[producers * each];
        using var done = new CountdownEvent(producers);
        long taken = 0;
        var consumer = new Thread(() =>
        {
            while (true)
            {
                if (queue.TryPeek(out long ticket))
                {
                    int value = queue.RecordAt(ticket);
                    Assert.False(seen[value]);
                    seen[value] = true;
                    queue.Release(ticket);
                    taken++;
                }
                else if (done.IsSet && !queue.TryPeek(out _))
                {
                    return;
                }
            }
        });
        consumer.Start();
        for (int p = 0; p < producers; p++)
        {
            int id = p;
            new Thread(() =>
            {
                for (int i = 0; i < each; i++)
                {
                    if (!queue.TryClaim(out long ticket)) continue;
                    queue.RecordAt(ticket) = id * each + i;
                    queue.Publish(ticket);
                }
                done.Signal();
            }).Start();
        }
        Assert.True(consumer.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(producers * each, taken + queue.Dropped);
        Assert.True(taken > 0);
    }
}
